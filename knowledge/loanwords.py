"""Hangul spellings of English developer terms: 장고 → django, 깃헙 → github.

Korean TIL notes and questions write English tech words both ways ("Django 마이그레이션",
"장고 migration"), so search has to bridge the two spellings. Three layers, from confident to
fuzzy:

* ``table()`` / ``to_english`` — a curated Hangul → English table
  (``knowledge/data/loanwords.tsv``) plus compound splitting
  (도커파일 → dockerfile / docker file) and particle stripping (장고에서 → django).
* ``phonetic_key`` — a coarse consonant skeleton shared by an English word and its Hangul
  spelling, for loanwords the table does not know (그라파나 ≈ grafana). Callers compare keys
  with a fuzzy ratio against English words that actually occur in their notes.
* ``romanize`` — a readable loanword-style transliteration, for debugging and display.

Pure stdlib so the knowledge package stays importable without Slack/AWS deps; the table is
read on first use, not at import (a cold start that only renders a card never pays for it).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from knowledge import data
from knowledge.hangul import (
    LOANWORD_SUFFIXES,
    PLURAL,
    decompose,
    fewest_pieces,
    is_hangul,
    is_syllable,
    without_palatal_glide,
)


@functools.cache
def table() -> dict[str, str]:
    """Hangul spelling → English (``knowledge/data/loanwords.tsv``), read on first use.

    Only loanwords belong there: native/Sino-Korean words (배포, 환경, 설정) must stay Korean,
    or every Korean sentence would be rewritten into noisy English. Homographs whose native
    sense is common in prose (배치 = placement, 셋 = three, 수도 = capital) are left out."""
    return {hangul: english.lower() for hangul, english in data.rows("loanwords")}


@functools.cache
def _openings() -> tuple[frozenset[str], frozenset[str]]:
    """How table words begin: the one-syllable words, and the first two syllables of the rest."""
    known = table()
    return (
        frozenset(k for k in known if len(k) == 1),
        frozenset(k[:2] for k in known if len(k) > 1),
    )


# Plain pattern strings, not compiled objects: re caches them on first use, which keeps
# import time down for callers that never romanize.
_HANGUL_RUN = r"[\uac00-\ud7a3]+"
_WORD_RUN = r"[\uac00-\ud7a3]+|[a-z]+"


def _normalize(word: str) -> str:
    # macOS file names and some clipboards deliver decomposed (NFD) jamo; the table is NFC.
    return unicodedata.normalize("NFC", word).strip().lower()


@functools.lru_cache(maxsize=4096)
def _segment(word: str) -> tuple[str, ...] | None:
    """Split ``word`` into the fewest table entries, or None.

    At least one piece must be two syllables or longer: pairs of one-syllable entries
    (풀 + 큐, 맵 + 키) collide with ordinary Korean words far more often than they name a
    real compound, and the genuine short compounds (웹앱) are in the table directly.
    """
    known = table()
    # The whole word is a table lookup, not a compound reading.
    pieces = fewest_pieces(word, lambda piece: piece != word and piece in known)
    if not pieces or len(pieces) < 2 or not any(len(p) >= 2 for p in pieces):
        return None
    return tuple(pieces)


def _resolve(stem: str) -> list[str]:
    """English candidates for a particle-free stem: table hit, then compound readings."""
    known = table()
    out: list[str] = []
    if stem in known:
        out.append(known[stem])
    pieces = _segment(stem)
    if pieces:
        words = [known[p] for p in pieces]
        out.append(" ".join(words))
        # English often closes two-word compounds (dockerfile, webhook); offer that spelling
        # too, but only for two single-word parts where it is plausible.
        if len(words) == 2 and not any(" " in w or "-" in w for w in words):
            out.append("".join(words))
    return list(dict.fromkeys(out))


def spells_english(word: str) -> bool:
    """Whether the word as written, nothing peeled, is the Hangul of English words (이미지,
    도커이미지): a noun, however its last syllable looks (이미지 ends like 만들지)."""
    w = _normalize(word)
    singles, pairs = _openings()
    return bool(w) and (w[0] in singles or w[:2] in pairs) and bool(_resolve(w))


# One set look-up per suffix length instead of an endswith per suffix: a word ends in at most
# one suffix of each length, so longest first is the same order.
_SUFFIXES = frozenset(LOANWORD_SUFFIXES)
_SUFFIX_LENGTHS = sorted({len(s) for s in LOANWORD_SUFFIXES}, reverse=True)


def _stems(word: str) -> list[str]:
    """Candidate stems after peeling one particle and an optional plural 들."""
    stems: list[str] = []
    for length in _SUFFIX_LENGTHS:
        if len(word) <= length or word[-length:] not in _SUFFIXES:
            continue
        stem = word[:-length]
        # A one-syllable stem plus a one-syllable particle is usually plain Korean
        # (풀이 "solution", 키가 "height") rather than pull/key.
        if len(stem) < 2 and length < 2:
            continue
        stems.append(stem)
        if stem.endswith(PLURAL) and len(stem) > 2:
            stems.append(stem[:-1])
    if word.endswith(PLURAL) and len(word) > 2:
        stems.append(word[:-1])
    return stems


def to_english(word: str) -> list[str]:
    """English candidates for one Hangul token, most confident first; [] if not a loanword.

    >>> to_english("도커파일")
    ['dockerfile', 'docker file']
    >>> to_english("장고마이그레이션")
    ['django migration', 'djangomigration']
    >>> to_english("배포")
    []
    """
    w = _normalize(word)
    if not w or not re.search(_HANGUL_RUN, w):
        return []
    found = _table_readings(w)
    if not found:
        plain = without_palatal_glide(w)
        if plain != w:
            found = _table_readings(plain)
    return found


def _table_readings(w: str) -> list[str]:
    # Every reading, of the word or of its stem, starts with a table word: most words need no
    # closer look (one set look-up instead of trying each suffix and split).
    singles, pairs = _openings()
    if w[0] not in singles and w[:2] not in pairs:
        return []
    found = _resolve(w)
    if found:
        return found
    for stem in _stems(w):
        found = _resolve(stem)
        if found:
            return found
    return _clipped(w)


# The syllables Korean adds to spell an English final consonant (script → 스크립트, interface →
# 인터페이스): typed in a hurry, a long loanword loses its last one (타입스크립, 자바스크립).
_EPENTHETIC = "트드크그프브스즈츠치지"


def _clipped(word: str) -> list[str]:
    """The loanword of four syllables or more that `word` is without its last, epenthetic
    syllable (타입스크립 → typescript); shorter words are words of their own (리스 is no 리스트)."""
    if len(word) < 3 or not is_hangul(word):
        return []
    known = table()
    return list(dict.fromkeys(known[word + s] for s in _EPENTHETIC if word + s in known))


# -- romanize ---------------------------------------------------------------------------------
# Loanword-oriented, not Revised Romanization: the goal is a string an English reader (and a
# fuzzy matcher) recognises, so 으 is mostly an epenthetic vowel to drop (스트 → st), a final
# ㅅ is an English t (깃 → git) and ㅓ in an open syllable is usually "er" (서버 → server).
_ROM_INITIAL = {
    "ㄱ": "g", "ㄲ": "g", "ㄴ": "n", "ㄷ": "d", "ㄸ": "d", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b",
    "ㅃ": "b", "ㅅ": "s", "ㅆ": "s", "ㅇ": "", "ㅈ": "j", "ㅉ": "j", "ㅊ": "ch", "ㅋ": "k",
    "ㅌ": "t", "ㅍ": "p", "ㅎ": "h",
}  # fmt: skip
_ROM_VOWEL = {
    "ㅏ": "a", "ㅐ": "a", "ㅑ": "ya", "ㅒ": "ye", "ㅓ": "o", "ㅔ": "e", "ㅕ": "yo", "ㅖ": "ye",
    "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wa", "ㅚ": "we", "ㅛ": "yo", "ㅜ": "u", "ㅝ": "wo", "ㅞ": "we",
    "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "u", "ㅢ": "ui", "ㅣ": "i",
}  # fmt: skip
_ROM_FINAL = {
    "ㄱ": "k", "ㄲ": "k", "ㄳ": "ks", "ㄴ": "n", "ㄵ": "nj", "ㄶ": "n", "ㄷ": "t", "ㄹ": "l",
    "ㄺ": "lk", "ㄻ": "lm", "ㄼ": "lb", "ㄽ": "ls", "ㄾ": "lt", "ㄿ": "lp", "ㅀ": "l", "ㅁ": "m",
    "ㅂ": "p", "ㅄ": "ps", "ㅅ": "t", "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t", "ㅊ": "t", "ㅋ": "k",
    "ㅌ": "t", "ㅍ": "p", "ㅎ": "",
}  # fmt: skip
# Palatalised vowels after ㅅ/ㅈ/ㅊ: 셔 is "sho", not "syo"; 셸 is "shel".
_SH_VOWEL = {
    "ㅑ": "a", "ㅕ": "o", "ㅛ": "o", "ㅠ": "u", "ㅒ": "e", "ㅖ": "e", "ㅞ": "e", "ㅟ": "i",
}  # fmt: skip


def _romanize_run(run: str) -> str:
    sylls = [decompose(ch) for ch in run]
    out: list[str] = []
    last = len(sylls) - 1
    for i, (ini, vow, fin) in enumerate(sylls):
        prev_fin = sylls[i - 1][2] if i else ""
        nxt = sylls[i + 1] if i < last else None
        # ㄹ is both l and r; doubled ㄹㄹ (컬럼, 셀레니움) is an English l, and re-/ri- prefixes
        # (리액트, 레디스, 리퀘스트) are r far more often than l.
        if ini == "ㄹ":
            cons = "l" if prev_fin == "ㄹ" or vow not in "ㅣㅔㅐ" else "r"
        elif ini == "ㅆ" and vow in "ㅓㅡ":
            cons = "th"  # 파이썬, 쓰레드, 써드파티: ㅆ before ㅓ/ㅡ mostly spells "th"
        elif ini == "ㅅ" and vow in _SH_VOWEL:
            cons = "sh"
        else:
            cons = _ROM_INITIAL[ini]

        if ini == "ㅇ" and vow == "ㅣ" and i and not sylls[i - 1][2] and sylls[i - 1][1] in "ㅏㅔ":
            # 아이/에이 diphthongs already spelled by the previous vowel (파이 → pi, 데이 → da).
            vowel = ""
        elif vow == "ㅡ" and ini != "ㅇ" and not fin:
            vowel = ""  # epenthetic 으: 스 → s, 트 → t, 드 → d
        elif cons in ("sh", "ch", "j") and vow in _SH_VOWEL:
            vowel = _SH_VOWEL[vow]
        elif vow == "ㅓ" and not fin:
            # Word-final open ㅓ is the English "-er" (서버, 도커); inside a word it is
            # mostly a short u (버그 bug, 허브 hub, 퍼블릭 public).
            vowel = "er" if i == last else "u"
        elif vow == "ㅔ" and nxt is not None and nxt[0] == "ㅇ" and nxt[1] == "ㅣ" and not fin:
            vowel = "a"  # 데이터 → data, 케이스 → case
        elif vow == "ㅏ" and nxt is not None and nxt[0] == "ㅇ" and nxt[1] == "ㅣ" and not fin:
            vowel = "i"  # 파이 → pi, 라이브러리 → library
        elif vow == "ㅣ" and i == last and not fin and ini != "ㅇ":
            vowel = "y"  # 쿼리 → query, 메모리 → memory
        else:
            vowel = _ROM_VOWEL[vow]

        # Word-final 지/치/시/션 are the English -ge/-ch/-sh/-tion endings (페이지, 패치,
        # 캐시, 세션): Korean closes those sounds with 이 rather than 으.
        if i == last and not fin and vow in "ㅣㅟ" and ini in "ㅈㅊㅅ":
            out.append({"ㅈ": "ge", "ㅊ": "ch", "ㅅ": "sh"}[ini])
            continue
        if i == last and ini == "ㅅ" and vow == "ㅕ" and fin == "ㄴ":
            out.append("tion")
            continue
        out.append(cons + vowel + _ROM_FINAL.get(fin, ""))
    text = "".join(out)
    # ㄱ받침 + 스 is an English x (리눅스, 인덱스, 익스프레스).
    text = text.replace("ngk", "nk").replace("ks", "x")
    text = re.sub(r"^(i|e)x", "ex", text)
    return re.sub(r"(.)\1+", r"\1\1", text)


def romanize(word: str) -> str:
    """Loanword-style Latin spelling of the Hangul in ``word``; other characters pass through.

    >>> romanize("도커")
    'doker'
    >>> romanize("캐시")
    'kash'
    >>> romanize("깃허브")
    'github'
    """
    w = _normalize(word)
    return re.sub(_HANGUL_RUN, lambda m: _romanize_run(m.group(0)), w)


# What Korean spelling cannot tell apart, folded the same way on both sides: ㄹ is r and l, ㅂ is
# b and v, ㅍ is p and f, ㅈ is j and z, ㅓ/ㅡ are e, u and o (퍼 is per, 루 is ru), ㅣ is i and y.
_FOLD = str.maketrans({"v": "b", "f": "p", "z": "j", "q": "k", "r": "l", "e": "o", "u": "o"})
_FOLD_PAIRS = (("ph", "p"), ("th", "s"), ("ck", "k"), ("qu", "kw"), ("x", "ks"))
# Patterns as strings, compiled (and cached by re) at the first sound-alike, never at import.
_SOFT_C, _INNER_Y, _DOUBLE = r"c(?=[eiy])", r"(?<=.)y", r"(.)\1"


def folded(word: str) -> str:
    """A Latin spelling with the letters Korean writes alike made one (hypervisor → hipolbisol,
    romanize(하이퍼바이저) hipubijer → hipobijol): a transliteration and its English word agree
    letter for letter only once folded."""
    w = word.lower()
    for a, b in _FOLD_PAIRS:
        w = w.replace(a, b)
    w = re.sub(_SOFT_C, "s", w).replace("c", "k").translate(_FOLD)
    return re.sub(_DOUBLE, r"\1", re.sub(_INNER_Y, "i", w))


# -- phonetic_key -----------------------------------------------------------------------------
# Both spellings collapse to one alphabet of consonant classes; vowels, h, w, y and
# non-prevocalic r are dropped because Korean and English disagree on them constantly
# (server 서버, docker 도커). What survives is what Korean spelling reliably preserves:
#   P: p f ph     B: b v       T: t          D: d
#   K: k c q x    G: g         S: s sh th c  J: j z ch soft-g
#   L: l r        M: m         N: n (ng stays N + G)
_KEY_INITIAL = {
    "ㄱ": "G", "ㄲ": "G", "ㄴ": "N", "ㄷ": "D", "ㄸ": "D", "ㄹ": "L", "ㅁ": "M", "ㅂ": "B",
    "ㅃ": "B", "ㅅ": "S", "ㅆ": "S", "ㅇ": "", "ㅈ": "J", "ㅉ": "J", "ㅊ": "J", "ㅋ": "K",
    "ㅌ": "T", "ㅍ": "P", "ㅎ": "",
}  # fmt: skip
_KEY_FINAL = {
    "ㄱ": "K", "ㄲ": "K", "ㄳ": "KS", "ㄴ": "N", "ㄵ": "NJ", "ㄶ": "N", "ㄷ": "T", "ㄹ": "L",
    "ㄺ": "LK", "ㄻ": "LM", "ㄼ": "LB", "ㄽ": "LS", "ㄾ": "LT", "ㄿ": "LP", "ㅀ": "L", "ㅁ": "M",
    "ㅂ": "P", "ㅄ": "PS", "ㅅ": "T", "ㅆ": "T", "ㅇ": "NG", "ㅈ": "T", "ㅊ": "T", "ㅋ": "K",
    "ㅌ": "T", "ㅍ": "P", "ㅎ": "",
}  # fmt: skip
_EN_VOWELS = frozenset("aeiouy")


# Vowel quality is useless across the two scripts (server 서버, data 데이터), but *where* a
# vowel sits is not: without it grafana/graphene or kubernetes/cabinets collapse together.
# Every vowel run becomes this one placeholder.
_VOWEL_MARK = "a"


def _hangul_key(run: str) -> str:
    parts: list[str] = []
    for ch in run:
        ini, vow, fin = decompose(ch)
        if vow == "ㅡ" and not fin and ini == "ㅊ":
            parts.append("TS")  # 츠 spells English -ts/-tz (스포츠, 렛츠), not ch
        elif vow == "ㅡ" and not fin and ini == "ㅈ":
            parts.append("S")  # 즈 is mostly a voiced plural -s (윈도우즈, 레일즈)
        else:
            parts.append(_KEY_INITIAL[ini])
            # 으 is epenthetic (스트 st, 테이블 table) except before ㄴ, where it stands for
            # a real English vowel (제이슨 json, 잭슨 jackson).
            if vow != "ㅡ" or fin == "ㄴ":
                parts.append(_VOWEL_MARK)
        parts.append(_KEY_FINAL.get(fin, ""))
    return "".join(parts)


# Letter names as Korean spells them (씨 c, 에이치 h, 더블유 w), for vowelless acronyms such
# as css, http, jwt that are read out letter by letter (씨에스에스, 에이치티티피).
_LETTER_KEYS = {
    "a": "a", "b": "Ba", "c": "Sa", "d": "Da", "e": "a", "f": "aP", "g": "Ja", "h": "aJa",
    "i": "a", "j": "Ja", "k": "Ka", "l": "aL", "m": "aM", "n": "aN", "o": "a", "p": "Pa",
    "q": "Ka", "r": "aL", "s": "aS", "t": "Ta", "u": "a", "v": "Ba", "w": "DaBLa", "x": "aKS",
    "y": "a", "z": "Ja",
}  # fmt: skip


# Two-consonant word starts that English syllables allow; anything else at the start of a
# short word (cpu, gpu, sre) means an acronym read letter by letter.
_ONSETS = frozenset(
    "bl br ch cl cr dr fl fr gl gr kl kn ph pl pr sc sh sk sl sm sn sp st sw th tr tw wh wr".split()
)


def _is_acronym(word: str) -> bool:
    if len(word) > 4:
        return False
    if not any(ch in _EN_VOWELS for ch in word):
        return True
    head = word[:2]
    return len(word) > 2 and not any(ch in _EN_VOWELS for ch in head) and head not in _ONSETS


def _english_key(word: str) -> str:
    if _is_acronym(word):
        return "".join(_LETTER_KEYS[ch] for ch in word)
    w = word
    n = len(w)
    out: list[str] = []
    i = 0

    def at(j: int) -> str:
        return w[j] if 0 <= j < n else ""

    def vowel(j: int) -> bool:
        return bool(at(j)) and at(j) in _EN_VOWELS

    while i < n:
        c = w[i]
        nx = at(i + 1)
        if c in _EN_VOWELS:
            silent_e = c == "e" and i == n - 1 and i > 1 and not vowel(i - 1)
            if not silent_e:
                out.append(_VOWEL_MARK)
            i += 1
        elif c in "hw":
            i += 1
        elif c == "p":
            out.append("P")
            i += 2 if nx == "h" else 1
        elif c == "f":
            out.append("P")
            i += 1
        elif c in "bv":
            out.append("B")
            i += 1
        elif c == "t":
            if w.startswith("tch", i):
                out.append("J")
                i += 3
            elif nx == "h":
                out.append("S")  # python 파이썬, thread 스레드
                i += 2
            elif i and nx == "i" and at(i + 2) in ("a", "o") and at(i - 1) != "s":
                out.append("S")  # -tion, -tial: 마이그레이션
                i += 1
            elif i and w.startswith("tion", i):
                out.append("J")  # after s, -stion is ch (question 퀘스천); istio keeps its t
                i += 1
            elif w.startswith("ture", i):
                out.append("J" + _VOWEL_MARK)  # architecture 아키텍처
                i += 4
            elif w.startswith("tua", i):
                out.append("J")  # virtual 버추얼, actual 액추얼, situation 시추에이션
                i += 1
            else:
                out.append("T")
                i += 1
        elif c == "d":
            if nx == "j" or (nx == "g" and at(i + 2) in ("e", "i", "y")):
                out.append("J")  # django 장고, edge 엣지
                i += 2
            else:
                out.append("D")
                i += 1
        elif c == "c":
            if nx == "h":
                # sch/chr/chl and tech-/arch- are Greek-style hard ch (schema, chrome,
                # technical, architecture); a final -che is French (cache 캐시).
                hard = at(i - 1) == "s" or (bool(at(i + 2)) and not vowel(i + 2))
                hard = hard or w.startswith(("tech", "mech"), max(i - 2, 0))
                hard = hard or (i == 2 and w.startswith("arch"))
                if w[i + 2 :] == "e":
                    out.append("S")
                else:
                    out.append("K" if hard else "J")
                i += 2
            elif nx == "k":
                out.append("K")
                i += 2
            elif nx in ("e", "i", "y"):
                out.append("S")
                i += 1
            else:
                out.append("K")
                i += 1
        elif c == "g":
            if nx == "h":
                if i == 0:
                    out.append("G")
                i += 2  # night, high: gh is silent inside a word
            elif nx == "n" and (i == 0 or not vowel(i + 2)):
                i += 1  # gnu, design, foreign: g before a closing n is silent
            elif nx == "g":
                out.append("G")
                i += 2
            elif nx in ("e", "i", "y") and (i > 0 or nx == "e"):
                out.append("J")  # page 페이지, engine 엔진, generator 제너레이터
                i += 1
            else:
                out.append("G")
                i += 1
        elif c == "j":
            out.append("J")
            i += 1
        elif c == "z":
            # A closing z is written 즈 like a plural s (사이즈, 시퀄라이즈); otherwise ㅈ.
            out.append("S" if w[i + 1 :] in ("", "e", "s", "es") else "J")
            i += 1
        elif c == "s":
            if nx == "h":
                out.append("S")
                i += 2
            elif nx == "c" and at(i + 2) == "h":
                out.append("SK")
                i += 3
            elif (vowel(i - 1) or at(i - 1) in ("r", "w")) and w.startswith(
                ("ser", "sure", "sual", "sion"), i
            ):
                out.append("J")  # user 유저, closure 클로저, visual 비주얼, version 버전
                i += 1
            else:
                out.append("S")
                i += 1
        elif c in "kq":
            if c == "k" and i == 0 and nx == "n":
                i += 1  # knowledge: silent k
                continue
            out.append("K")
            i += 1
        elif c == "x":
            out.append("J" if i == 0 and vowel(1) else "KS")  # xamarin 자마린, index 인덱스
            i += 1
        elif c == "l":
            out.append("L")
            i += 1
        elif c == "r":
            # Only a prevocalic r is written in Korean (레디스, 그라파나); server → 서버.
            if vowel(i + 1) and w[i + 1 :] not in ("e", "ed", "es"):
                out.append("L")
            i += 1
        elif c == "m":
            out.append("M")
            i += 1
        elif c == "n":
            # Korean writes a syllable-final nk as ㅇ+ㅋ (링크, 싱크), i.e. "ng"; across a
            # syllable break it stays ㄴ (젠킨스 jenkins).
            velar = nx in ("k", "q", "x") or (nx == "c" and at(i + 2) not in ("e", "i", "y", "h"))
            out.append("NG" if velar and not vowel(i + 2) else "N")
            i += 1
        else:
            i += 1
    if w.endswith(("sh", "ch", "che", "ge")):
        # Korean closes these with 이, not 으 (캐시 cache, 패치 patch, 페이지 page).
        out.append(_VOWEL_MARK)
    return "".join(out)


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def phonetic_key(text: str) -> str:
    """Coarse consonant-class key: phonetic_key("kubernetes") == phonetic_key("쿠버네티스").

    Works on English, Hangul or a mix; anything else is ignored. Compare keys with a fuzzy
    ratio: they are deliberately lossy, so equal keys mean "sounds alike", not "same word".
    """
    w = _normalize(text)
    parts: list[str] = []
    for m in re.finditer(_WORD_RUN, w):
        run = m.group(0)
        parts.append(_hangul_key(run) if is_syllable(run[0]) else _english_key(run))
    return _collapse("".join(parts))
