"""DATABASE_REPLICA_URL: public catalog reads may come from a replica, writes never go there,
and right after a catalog write the reads come from the primary."""

import pytest
from sqlalchemy import create_engine, select

from app.extensions import Base, db
from app.models import Category
from tests.factories import auth_headers, make_category, make_user


@pytest.fixture
def category_id():
    return make_category(name="from-primary").id


@pytest.fixture
def replica_url(tmp_path, category_id):
    """A replica holding another name for the category, so the answer tells who served it."""
    url = f"sqlite:///{tmp_path / 'replica.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    row = {
        "id": category_id,
        "name": "from-replica",
        "description": "",
        "create_time": 1,
        "update_time": 1,
    }
    with engine.begin() as connection:
        connection.execute(Category.__table__.insert(), [row])
    yield url
    engine.dispose()


def _name(client, category_id) -> str:
    return client.get(f"/v1/category/{category_id}").get_json()["data"]["name"]


def _rename(client, category_id, name, headers):
    return client.put(f"/v2/category/{category_id}", json={"name": name}, headers=headers)


def test_catalog_reads_use_the_replica_and_writes_the_primary(make_app, replica_url, category_id):
    app = make_app(DATABASE_REPLICA_URL=replica_url, DATABASE_REPLICA_FRESH_SECONDS=0)
    client = app.test_client()
    assert _name(client, category_id) == "from-replica"
    admin = make_user(auth=2)
    # account reads never use the replica (the admin exists only on the primary)
    me = client.get("/v1/user", headers=auth_headers(admin))
    assert me.get_json()["data"]["id"] == admin.id
    assert _rename(client, category_id, "renamed", auth_headers(admin)).status_code == 201
    db.session.rollback()  # end this test's own snapshot before reading what the app wrote
    assert db.session.scalar(select(Category.name).where(Category.id == category_id)) == "renamed"
    with create_engine(replica_url).connect() as connection:
        names = connection.execute(select(Category.__table__.c.name)).scalars().all()
    assert names == ["from-replica"]
    with app.app_context():
        db.engines["replica"].dispose()


def test_reads_right_after_a_write_come_from_the_primary(make_app, replica_url, category_id):
    admin = make_user(auth=2)
    app = make_app(DATABASE_REPLICA_URL=replica_url, DATABASE_REPLICA_FRESH_SECONDS=60)
    client = app.test_client()
    _rename(client, category_id, "just-written", auth_headers(admin))
    # the replica has not caught up (it never will here): a fresh write is read from the primary
    assert _name(client, category_id) == "just-written"
    with app.app_context():
        db.engines["replica"].dispose()


def test_without_a_replica_url_there_is_no_replica_engine(app):
    assert "replica" not in db.engines
