"""Outgoing mail, shared by the apps: templated plain-text messages and who gets them.

It knows nothing of articles or comments; each app keeps its own
``notifications`` module (what to say, to whom, when) and templates, and calls
:func:`send_templated_mail` after its transaction has committed.
"""
