"""The WhatsApp channel on Meta's WhatsApp Business Cloud API: webhook notifications in,
messages out through the Graph API, under its limits and its 24-hour window.

Nothing here knows conversations: notifications become :class:`core.channel.InboundEvent`
rows through the intake, :class:`core.channel.OutboundMessage` become ``/messages`` calls.
"""
