from celery import shared_task


@shared_task
def ping(token: str) -> str:
    """A no-op round trip through the broker, for health checks and the wiring tests."""
    return token
