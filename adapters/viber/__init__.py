"""The Viber channel on Viber's REST Bot API: signed callbacks in, ``send_message`` out.

Nothing here knows conversations: callbacks become :class:`core.channel.InboundEvent`
through the intake, outbound :class:`core.channel.OutboundMessage` become
``send_message`` calls (keyboards in Viber's 6-column grid, pictures by signed URL).
"""
