"""Every channel adapter: each ``adapters/<name>/plugin.py`` with its ``PLUGIN``.

A new messenger adds its folder; nothing else names it.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from functools import cache
from typing import Any

import adapters
from adapters.plugin import ChannelPlugin


@cache
def plugins() -> dict[str, ChannelPlugin[Any]]:
    """The registered channels by name, in the order of their folders' names."""
    found: dict[str, ChannelPlugin[Any]] = {}
    for module in sorted(pkgutil.iter_modules(adapters.__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        entry = f"{adapters.__name__}.{module.name}.plugin"
        if importlib.util.find_spec(entry) is None:
            continue
        plugin = importlib.import_module(entry).PLUGIN
        if not isinstance(plugin, ChannelPlugin):
            raise TypeError(f"{entry}.PLUGIN is not a ChannelPlugin")
        if plugin.name in found:
            raise ValueError(f"two channels are named {plugin.name!r}")
        found[plugin.name] = plugin
    return found
