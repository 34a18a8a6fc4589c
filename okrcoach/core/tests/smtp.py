"""A real SMTP server on loopback for tests (aiosmtpd), collecting every message it receives."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[Message] = []
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # a slow mail server
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # Controller(port=0) cannot report the port it got, so pick one first.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(delay: float = 0.0) -> Iterator[tuple[int, list[Message]]]:
    collector = _Collector(delay)
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, collector.messages
    finally:
        controller.stop()


def body_of(message: Message) -> str:
    if message.is_multipart():
        part = message.get_payload(0)
        assert isinstance(part, Message)
        return str(part.get_payload(decode=True).decode())
    return str(message.get_payload(decode=True).decode())
