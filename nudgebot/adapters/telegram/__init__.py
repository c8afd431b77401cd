"""Telegram, through python-telegram-bot v22 over aiohttp, in nudgebot's own loop."""

from nudgebot.adapters.telegram.app import TelegramAdapter

__all__ = ["TelegramAdapter"]
