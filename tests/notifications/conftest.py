import pytest


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the callbacks that notify() registers for after the commit."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def run_task(result):
    return result.task.call(*result.args, **result.kwargs)


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory()
