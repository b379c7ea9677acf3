"""Messages the engine writes for people (the parser's refusals), kept translatable without Django.

A Message is the English text (a str, so everything that prints, compares or joins messages sees
what it always saw) that also remembers its template and arguments, so that the web side can
render it again in the reader's language: `Message(gettext_noop("key {key!r} appears twice"), key=k)`.
`gettext_noop` only marks the template for `makemessages` (which looks for that name); the French
rendering lives in locale/fr, and calculations/presentation/messages.py renders it with gettext.
An argument may itself be a Message ("got a list"), translated in turn; the input's own text (a key,
a value, a profile code, an exception's detail) is passed as a plain str and never translated.
"""

from __future__ import annotations

from typing import Any


def gettext_noop(template: str) -> str:
    """Marks `template` for extraction (makemessages), returns it unchanged."""
    return template


class Message(str):
    """English text that remembers its `template` (str.format syntax) and `args`."""

    template: str
    args: dict[str, Any]

    def __new__(cls, template: str, **args: Any) -> "Message":
        message = super().__new__(cls, template.format(**args))
        message.template = template
        message.args = args
        return message

    def __reduce__(self):
        return (_rebuild, (self.template, self.args))

    def render(self, translate) -> str:
        """The message with `translate(template)` for this template and every Message argument."""
        args = {k: v.render(translate) if isinstance(v, Message) else v for k, v in self.args.items()}
        try:
            return translate(self.template).format(**args)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English text, never a 500
            return self.template.format(**args)


def _rebuild(template: str, args: dict[str, Any]) -> Message:
    return Message(template, **args)


def render(text: Any, translate) -> Any:
    """`text` rendered by `translate` when it is a Message, unchanged otherwise."""
    return text.render(translate) if isinstance(text, Message) else text
