"""The Telegram channel on aiogram 3: parsing updates, rendering messages, rate limits.

Nothing here knows conversations: inbound updates become :class:`core.channel.InboundEvent`
rows in the inbox, outbound :class:`core.channel.OutboundMessage` become Bot API calls.
"""
