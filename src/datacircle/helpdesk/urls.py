"""URLs of the data help desk."""

urlpatterns: list = []
