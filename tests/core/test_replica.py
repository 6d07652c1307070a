"""DATABASE_REPLICA_URL: public catalog reads may come from a replica, writes never go there,
and right after a catalog write the reads come from the primary."""

import pytest
from sqlalchemy import create_engine, select

from app.extensions import Base, db
from app.models import Category
from tests.factories import auth_headers, make_category, make_user


@pytest.fixture
def replica_url(tmp_path):
    """A replica holding a different name for category 1, so the answer tells who served it."""
    url = f"sqlite:///{tmp_path / 'replica.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            Category.__table__.insert(),
            [
                {
                    "id": 1,
                    "name": "from-replica",
                    "description": "",
                    "create_time": 1,
                    "update_time": 1,
                },
            ],
        )
    yield url
    engine.dispose()


def _name(client) -> str:
    return client.get("/v1/category/1").get_json()["data"]["name"]


def test_catalog_reads_use_the_replica_and_writes_the_primary(make_app, replica_url):
    make_category(name="from-primary")
    app = make_app(DATABASE_REPLICA_URL=replica_url, DATABASE_REPLICA_FRESH_SECONDS=0)
    client = app.test_client()
    assert _name(client) == "from-replica"
    # an order-path or account read never uses the replica
    admin = make_user(auth=2)
    me = client.get("/v1/user", headers=auth_headers(admin))
    assert me.get_json()["data"]["id"] == admin.id
    # a write goes to the primary
    response = client.put("/v2/category/1", json={"name": "renamed"}, headers=auth_headers(admin))
    assert response.status_code == 201
    assert db.session.scalar(select(Category.name).where(Category.id == 1)) == "renamed"
    with create_engine(replica_url).connect() as connection:
        names = connection.execute(select(Category.__table__.c.name)).scalars().all()
    assert names == ["from-replica"]
    with app.app_context():
        db.engines["replica"].dispose()


def test_reads_right_after_a_write_come_from_the_primary(make_app, replica_url):
    make_category(name="from-primary")
    admin = make_user(auth=2)
    app = make_app(DATABASE_REPLICA_URL=replica_url, DATABASE_REPLICA_FRESH_SECONDS=60)
    client = app.test_client()
    client.put("/v2/category/1", json={"name": "just-written"}, headers=auth_headers(admin))
    # the replica has not caught up (it never will here): the fresh write is read from the primary
    assert _name(client) == "just-written"
    with app.app_context():
        db.engines["replica"].dispose()


def test_without_a_replica_url_there_is_no_replica_engine(app):
    assert "replica" not in db.engines
