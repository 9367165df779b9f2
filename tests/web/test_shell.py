"""The page shell: navigation without dead links, light pages, security headers, RTL, auth flows."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from datacircle.web.navigation import AREAS

MAX_PAGE_BYTES = 150 * 1024


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="menu".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="([^"]+)"', nav)


def test_every_navigation_link_opens_a_page(network, login):
    client = login(network["kenyan"])
    links = nav_links(client.get(reverse("home")).content.decode())
    assert len(links) == len(AREAS) + 2  # home, the areas, people
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert b"<h1>" in response.content


@pytest.mark.parametrize(
    "url_name", ["home", "people", "organisations", *[a.url_name for a in AREAS]]
)
def test_pages_are_light_and_use_only_own_assets(network, login, url_name):
    response = login(network["kenyan_coordinator"]).get(reverse(url_name))
    html = response.content.decode()
    assert len(response.content) <= MAX_PAGE_BYTES
    assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets, "the page loads its stylesheet"
    assert all(asset.startswith("/static/") for asset in assets), assets


def test_home_dashboard_shows_the_organisation_figures(network, login):
    html = login(network["kenyan"]).get(reverse("home")).content.decode()
    assert "Welcome, Wanjiru" in html
    assert "Kenya Red Cross Society" in html
    people_figure = re.search(r"<strong>(\d+)</strong> people you can see", html)
    assert people_figure and people_figure.group(1) == "3"
    assert "Health" in html


def test_security_headers_on_every_response(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_cookies_are_secure_over_https(client, db):
    response = client.get(reverse("login"), secure=True)
    assert response.cookies["csrftoken"]["secure"] is True
    plain = client.get(reverse("login"))
    assert not plain.cookies["csrftoken"]["secure"]


def test_arabic_pages_are_right_to_left(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in english


def test_language_switcher_changes_language(client, db):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert 'dir="rtl"' in client.get(reverse("login")).content.decode()


def test_a_signed_in_person_reads_in_their_language_unless_they_chose_another(network, login):
    awa = login(network["senegalese"])  # works in French
    assert '<html lang="fr" dir="ltr">' in awa.get(reverse("home")).content.decode()
    awa.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert '<html lang="ar" dir="rtl">' in awa.get(reverse("home")).content.decode()


def test_the_profile_language_comes_before_the_browser_s(network, login, client):
    wanjiru = login(network["kenyan"])  # works in English
    html = wanjiru.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en"' in html
    client.logout()
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in html  # nobody signed in: the browser decides


def test_login_and_logout(network, client):
    response = client.post(
        reverse("login"), {"username": "wanjiru", "password": "a-long-test-password"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_with_a_message(network, client):
    response = client.post(reverse("login"), {"username": "wanjiru", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_reset_sends_a_working_link(network, client):
    user = network["kenyan"].user
    user.email = "wanjiru@example.org"
    user.save()
    response = client.post(reverse("password_reset"), {"email": "wanjiru@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-9", "new_password2": "a-new-long-password-9"},
    )
    assert done.status_code == 302
    assert client.login(username="wanjiru", password="a-new-long-password-9")


def test_unknown_page_gives_a_friendly_404(network, login):
    response = login(network["kenyan"]).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_counts_preferred_languages_of_the_people_one_may_see(network, login):
    def rows(html):
        table = re.search(r"People by preferred language.*?</table>", html, re.S).group(0)
        return re.findall(
            r"<tr><td>(\w+)</td><td>(\d+)</td><td><meter[^>]*>\d+%</meter> (\d+)%", table
        )

    admin = login(network["admin"]).get(reverse("home")).content.decode()
    assert rows(admin) == [("English", "4", "67"), ("French", "2", "33")]
    kenyan = login(network["kenyan"]).get(reverse("home")).content.decode()
    assert rows(kenyan) == [("English", "3", "100")]


def test_server_error_page_speaks_the_visitors_language_direction(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("ar"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
