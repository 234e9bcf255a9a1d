"""The migrations build exactly the schema the models describe, on the database under test."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.database import alembic_config, current_revisions
from bot.models import Base


async def test_database_is_at_every_head(engine) -> None:
    heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
    assert await current_revisions(engine) == heads


async def test_models_and_migrations_agree(engine) -> None:
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []
