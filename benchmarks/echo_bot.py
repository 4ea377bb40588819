"""The baseline of the Telegram benchmark: a bare aiogram 3 echo bot, long polling.

    python -m benchmarks.echo_bot <api base> <token>

No storage, no dialogue: each text update is answered with one sendMessage.
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Dispatcher
from aiogram.types import Message

from adapters.telegram.channel import make_bot


async def main(api: str, token: str) -> None:
    bot = make_bot(token, api)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    await dp.start_polling(bot, polling_timeout=1)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
