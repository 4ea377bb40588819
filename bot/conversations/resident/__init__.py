"""The resident's dialogue: file a request asking only for what is missing, then follow it.

``draft`` is what the dialogue keeps, ``intake`` reads a message into the draft, ``steps``
asks and takes each question of filing, ``follow_up`` acts on filed requests, and
``dialogue`` routes a turn to them.
"""

from bot.conversations.resident.dialogue import handle
from bot.conversations.resident.draft import ResidentState

__all__ = ["ResidentState", "handle"]
