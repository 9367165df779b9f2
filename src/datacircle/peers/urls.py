"""URLs of peer learning."""

urlpatterns: list = []
