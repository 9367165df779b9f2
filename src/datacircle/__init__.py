"""Data Circle: nurture a data culture in humanitarian organisations through data socialisation."""

__version__ = "0.1.0"
