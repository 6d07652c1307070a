"""Address shapes."""

from app import models
from app.schemas.base import Shape


class Address(Shape):
    """One entry of the caller's address book."""

    model = models.Address
    answers = "id name mobile province city country detail is_default create_time update_time"
