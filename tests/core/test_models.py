"""Model base: timestamps, soft delete everywhere, exact money, no secrets in serializers."""

from decimal import Decimal

from sqlalchemy import select, text

from app.config import load_config
from app.extensions import db
from app.models import Banner, BannerItem, Category, Product, User
from app.schemas.user import AdminUser, Me
from tests.factories import make_category, make_image, make_product, make_user


def test_create_time_equals_update_time_on_insert_and_update_changes_it():
    user = make_user()
    assert user.create_time == user.update_time
    assert isinstance(user.create_time, int)


def test_soft_deleted_rows_vanish_from_queries_relationships_and_joins():
    image = make_image()
    banner = Banner(name="home")
    db.session.add(banner)
    db.session.flush()
    kept = BannerItem(banner_id=banner.id, img_id=image.id, order=1)
    gone = BannerItem(banner_id=banner.id, img_id=image.id, order=2)
    db.session.add_all([kept, gone])
    db.session.commit()
    gone.soft_delete()
    db.session.commit()
    db.session.expire_all()
    assert [item.id for item in db.session.get(Banner, banner.id).items] == [kept.id]
    assert db.session.scalars(select(BannerItem)).all() == [kept]
    joined = db.session.scalars(
        select(Banner.id).join(BannerItem, BannerItem.banner_id == Banner.id)
    ).all()
    assert joined == [banner.id]
    everything = db.session.scalars(
        select(BannerItem).execution_options(include_deleted=True)
    ).all()
    assert len(everything) == 2


def test_soft_deleted_category_is_hidden_from_related_loads():
    category = make_category()
    product_id = make_product(category=category).id
    category.soft_delete()
    db.session.commit()
    db.session.remove()  # a new request starts with an empty session
    assert db.session.get(Product, product_id).category is None
    assert db.session.scalars(select(Category)).all() == []


def test_money_round_trips_exactly():
    product = make_product(price="19.99")
    db.session.expire_all()
    price = db.session.get(Product, product.id).price
    assert price == Decimal("19.99") and isinstance(price, Decimal)
    stored = db.session.execute(text("SELECT price FROM product")).scalar()
    assert Decimal(str(stored)) in (Decimal("1999"), Decimal("19.99"))


def test_stock_cannot_go_negative_in_the_database():
    import pytest
    from sqlalchemy.exc import IntegrityError, OperationalError

    product = make_product(stock=1)
    # SQLite reports a CHECK failure as an integrity error, MariaDB as error 4025
    with pytest.raises((IntegrityError, OperationalError)):
        db.session.execute(text("UPDATE product SET stock = -1 WHERE id = :id"), {"id": product.id})
        db.session.flush()
    db.session.rollback()


def test_user_serializers_never_expose_secrets():
    user = make_user(username="alice", mobile="13900000000")
    for data in (Me.serialize(user), AdminUser.serialize(user)):
        assert not any("password" in key or "token" in key for key in data)
        assert "delete_time" not in data
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert user.check_password("correct-horse-42") and not user.check_password("nope")


def test_user_email_unique_constraint():
    import pytest
    from sqlalchemy.exc import IntegrityError

    make_user(email="same@example.com")
    with pytest.raises(IntegrityError):
        db.session.add(User(email="same@example.com"))
        db.session.commit()
    db.session.rollback()


def test_password_hash_method_is_scrypt_outside_the_test_suite(make_app):
    assert load_config("production")["PASSWORD_HASH_METHOD"] == "scrypt"
    assert load_config("development")["PASSWORD_HASH_METHOD"] == "scrypt"
    assert make_user().password_hash.startswith("pbkdf2:sha256:1000$")  # testing config
    with make_app(PASSWORD_HASH_METHOD="scrypt").app_context():
        user = User()
        user.set_password("correct-horse-42")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("correct-horse-42") and not user.check_password("nope")
