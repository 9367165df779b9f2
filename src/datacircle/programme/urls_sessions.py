"""URLs of sessions, registrations, feedback, calendars and deliveries."""

urlpatterns: list = []
