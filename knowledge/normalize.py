"""Text normalisation shared by the index and the queries: one tokenizer, so both sides agree.

Korean is agglutinative: ``도커는``, ``SQLAlchemy가``, ``zappa란?`` carry particles and
question endings glued to the word people mean. Tokens are split where the script changes, and
Hangul tokens get their particle-stripped stems as variants.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Slack sends mentions and links as <@U123|name>, <!channel>, <#C1|general>, <https://x|text>.
_SLACK_MARKUP = re.compile(
    r"<([@#!])([^>|]*)(?:\|([^>]*))?>|<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>"
)
_BROADCAST = re.compile(r"(?<![\w.])@(?:here|channel|everyone)\b", re.I)
_TOKEN = re.compile(r"[a-z0-9]+(?:[._+#-][a-z0-9]+)*[+#]*|[가-힣]+|[ㄱ-ㅎ]+")
_COMPAT_JAMO = re.compile(r"[ㄱ-ㆎ]+")
_COMPAT_JAMO_SPLIT = re.compile(r"([ㄱ-ㆎ]+)")
_LATIN_PARTS = re.compile(r"[a-z]+|[0-9]+")
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_SYLLABLE_FIRST, _SYLLABLE_LAST = 0xAC00, 0xD7A3

# Particles and endings, longest first so ``에서는`` is tried before ``는``.
_SUFFIXES = sorted(
    """
    이란 이라는 이라고 이라면 에서는 에서도 에서 으로는 으로 에게 한테 까지 부터 처럼 보다 이랑 랑 이나
    이야 이에요 예요 이지 인가요 인가 인지 란 은 는 이 가 을 를 에 의 와 과 도 로 만 요 에는
    하는법 하는방법 하는 하기 하다 하면 하려면 해서 했다 한다 하고 할때 할 시 적 적인 들 들이 들을
    """.split(),
    key=len,
    reverse=True,
)

_SUFFIX_SET = frozenset(_SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in _SUFFIXES}, reverse=True)

# Words that make a question a question; they say nothing about the topic.
QUESTION_WORDS = frozenset(
    """
    뭐야 뭐임 뭐지 뭔가요 뭔데 뭐에요 뭐예요 뭐 무엇 무엇인가요 무엇인지 알려줘 알려주세요 알려줄래
    알려 가르쳐줘 가르쳐 설명 설명해줘 설명해 좀 대해 대해서 관해 관해서 관련 어떻게 방법 하는법 하는
    하나요 인가요 이란 란 이야 야 요 는 은 이 가 을 를 에 의 와 과 도 로 으로 에서 거 것 어떤 있어
    해줘 줘 주세요 궁금해 궁금 뭘까 뭘까요 알고 싶어 싶어요 정리 있나요 어떻게해 해 하지 할까 무슨
    법 언제 왜 혹시 제발 부탁해 부탁해요 부탁드려요 부탁드립니다 돼 돼요 되나요 하려면 하면 할때
    어디 어디서 어디에 누가 뭘 얼마나
    what whats is are the a an how to do does i about tell me explain please of in on for with
    and or why can you it this that show know pls plz vs versus
    """.split()
)


def clean_text(text: str) -> str:
    """Slack markup → plain words, entities decoded, compatibility forms folded (ｐｙｔｈｏｎ)."""

    def plain(m: re.Match[str]) -> str:
        if m.group(4):
            return m.group(5) or m.group(4)
        if m.group(1) == "#":
            return m.group(3) or ""
        return ""  # user mentions, @channel, @here: never part of the question

    text = html.unescape(_SLACK_MARKUP.sub(plain, text))
    # Once more after decoding: "&lt;!everyone&gt;" is a ping typed as text, and so is "@here".
    text = _BROADCAST.sub(" ", _SLACK_MARKUP.sub(plain, text))
    # NFKC would turn typed initial consonants (ㅎㄱ) into conjoining jamo; keep those as typed.
    return "".join(
        part if _COMPAT_JAMO.match(part) else unicodedata.normalize("NFKC", part)
        for part in _COMPAT_JAMO_SPLIT.split(text)
    )


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, split where Latin meets Hangul (``sqlalchemy가`` → two)."""
    return _TOKEN.findall(text.lower())


def latin_parts(token: str) -> list[str]:
    """``secret_key`` → ``secret``, ``key``; ``manage.py`` → ``manage``, ``py``."""
    parts = _LATIN_PARTS.findall(token)
    return parts if len(parts) > 1 else []


def stems(token: str) -> list[str]:
    """The token, then what is left after each particle/ending that it ends with."""
    out = [token]
    if not is_hangul(token):
        return out + _english_stems(token)
    # Longest first, one set lookup per length (this runs for every word of every note).
    for length in _SUFFIX_LENGTHS:
        if len(token) > length and token[-length:] in _SUFFIX_SET:
            out.append(token[:-length])
    return out


def _english_stems(token: str) -> list[str]:
    """A light English stemmer: redirection → redirect, migrations → migration, images → image."""
    if not token.isalpha() or len(token) < 5:
        return []
    out = []
    if token.endswith("ies"):
        out.append(token[:-3] + "y")
    elif token.endswith("s") and not token.endswith("ss"):
        out.append(token[:-1])
    for suffix, minimum in (("ing", 6), ("ion", 7), ("ed", 5)):
        if token.endswith(suffix) and len(token) >= minimum:
            out.append(token[: -len(suffix)])
    return out


def is_hangul(token: str) -> bool:
    return bool(token) and _SYLLABLE_FIRST <= ord(token[0]) <= _SYLLABLE_LAST


def is_choseong(token: str) -> bool:
    return bool(token) and all(ch in _CHOSEONG for ch in token)


def choseong(word: str) -> str:
    """``환경`` → ``ㅎㄱ``; non-Hangul characters are dropped."""
    out = []
    for ch in word:
        code = ord(ch)
        if _SYLLABLE_FIRST <= code <= _SYLLABLE_LAST:
            out.append(_CHOSEONG[(code - _SYLLABLE_FIRST) // 588])
    return "".join(out)


def jamo(word: str) -> str:
    """Hangul decomposed into letters, so one mistyped letter costs one edit, not a syllable."""
    return unicodedata.normalize("NFD", word)


def compact(text: str) -> str:
    """Lower-case letters and digits only: ``Git Reset`` and ``gitreset`` compare equal."""
    return "".join(tokens(text))
