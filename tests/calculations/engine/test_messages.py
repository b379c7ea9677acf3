"""engine/messages.py: a Message is its English text, and renders again through a translation."""

import pickle

from calculations.engine.messages import Message, render

FRENCH = {"{key} must be text; got {found}": "{key} doit être du texte ; reçu : {found}", "a list": "une liste"}


def test_a_message_is_its_english_text():
    message = Message("{key} must be text; got {found}", key="name", found=Message("a list"))
    assert message == "name must be text; got a list" and isinstance(message, str)


def test_a_message_renders_its_template_and_message_arguments_translated_and_the_input_as_it_is():
    message = Message("{key} must be text; got {found}", key="a list", found=Message("a list"))
    assert message.render(lambda template: FRENCH.get(template, template)) == "a list doit être du texte ; reçu : une liste"


def test_a_broken_translation_falls_back_to_the_english_text():
    message = Message("{key} must be text; got {found}", key="name", found="x")
    assert message.render(lambda template: "{nom} doit être du texte") == "name must be text; got x"


def test_render_leaves_plain_text_alone_and_a_message_survives_pickling():
    assert render("plain", lambda template: "traduit") == "plain"
    assert pickle.loads(pickle.dumps(Message("a list"))).template == "a list"


def test_a_pickled_message_comes_back_with_its_text_template_and_arguments():
    message = Message("{key} must be text; got {found}", key="name", found=Message("a list"))
    again = pickle.loads(pickle.dumps(message))
    assert (again, again.template, again.args) == ("name must be text; got a list", message.template, message.args)


def test_render_translates_a_message():
    message = Message("{key} must be text; got {found}", key="name", found=Message("a list"))
    assert render(message, lambda template: FRENCH.get(template, template)) == "name doit être du texte ; reçu : une liste"
