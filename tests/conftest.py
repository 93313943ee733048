import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The shipped demo fixtures, loaded into the test database."""
    call_command("loaddata", "demo", verbosity=0)


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
