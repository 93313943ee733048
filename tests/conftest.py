import pytest
from django.conf import settings
from django.utils import translation


def pytest_configure(config):
    """Hash test passwords with MD5: the production hasher is slow on purpose, and the suite
    signs users in hundreds of times. Every xdist worker runs this hook too."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each request makes its page, so that query counts and the like are of the page itself;
    # tests/test_page_cache.py turns the cache of whole pages on.
    settings.CACHE_PAGES = False


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English. A page in Thai an earlier test asked for leaves Thai
    active in the thread, and then `Agreement.objects.create(title=…)` would write the Thai
    title, `reverse()` give /th/ addresses."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def demo(db):
    """The shipped demo data, loaded into the test database the way `loaddemo` loads it."""
    from partnership.core.demo import load_demo

    load_demo()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-admin-1")


@pytest.fixture
def staff_user(django_user_model):
    """Staff, but in no group and with no permissions."""
    return django_user_model.objects.create_user(
        "staff", "staff@example.org", "pw-staff-1", is_staff=True
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    """Signed in as a member of Editors, who may view every record and preview drafts."""
    from django.contrib.auth.models import Group

    from partnership.core.roles import EDITORS

    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw-editor-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client
