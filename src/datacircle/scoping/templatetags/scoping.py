"""Template filters of scoping: counts shown with the small-cell rule."""

from django import template

register = template.Library()


@register.filter
def at_least(count: int, k: int) -> str:
    """`count` as shown in pages: exact from k up, "<k" below (zero included)."""
    return str(count) if count >= k else f"<{k}"
