"""Characters a report cannot carry as they are (XML 1.0 forbids them; HTML treats them as
parse errors): written as \\xNN or \\uNNNN text instead, so a target's output never makes a
report unreadable."""

import re

_NOT_CARRIED = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def visible(text: str) -> str:
    return _NOT_CARRIED.sub(lambda found: "\\x%02x" % ord(found.group()) if found.group() < "\xa0"
                            else "\\u%04x" % ord(found.group()), text)
