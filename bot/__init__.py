"""创文助手 — core package: configuration, database, models, services, scheduler and CLI."""

__version__ = "0.1.0"
