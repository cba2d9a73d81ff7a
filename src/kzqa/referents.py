"""A sentence that answers a question -> the name it gives for what was asked: whom a follow-up's "he"
stands for (``referent``), who did what the question asks ("Who won ...?"), and the name a "Which
<noun> ...?" question asks for (``answer_name``).

Both read the capitalised runs of the sentence (``names.name_runs``) and skip what the question
already holds; the ``NameIndex`` of the corpus tells names from titles ("President") and places.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kzqa.lexicon import FUNCTION_WORDS
from kzqa.names import CAP, NOT_NAMES, POSSESSIVE, Name, NameIndex, capitalised, initials, name_runs, run_end
from kzqa.phrases import SOMEONE_DOES

# What goes on a name that heads an institution's ("European Bank for Reconstruction and Development", "Caspian
# Institute for Strategic Studies"): no one whom "he" or "she" stands for. ("of" also follows people: "Charles
# Michel of the European Council".)
OF_A_LONGER_NAME = re.compile(rf"[ \t]+for[ \t]+(?:the[ \t]+)?{CAP}")
# What puts the name right after it in a place, in the sentence at hand: "at his polling station in the Astana
# Opera Theater" (a venue, whose later words the documents need not write after "in" anywhere else), "rampaged
# through Alma-Ata", "across the Caspian": prepositions of place and movement that do not take a person.
AT_A_PLACE = re.compile(r"\b(?:in|at|through|throughout|across|into)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
OPENING_QUOTES, CLOSING_QUOTES = ("“", "«", "„"), ("”", "»", "“")  # (straight quotes open and close alike)
PLACE_REACH = 16  # characters before a name where AT_A_PLACE is looked for ("throughout the ")
NEGATION = re.compile(r"not|never|no|\w+n['’]t", re.IGNORECASE)  # "Masimov never won": no deed of his
# Words after a name (past "who is", "the") where what it is the subject of stands ("Tokayev also refused").
SUBJECT_REACH = 2
# What describes a name between a comma right after it and the next comma or the sentence's end (", head of
# European diplomacy,"); a clause that goes on after a comma (", as well as ...", ", who ...") does not.
APPOSITION = re.compile(r"\s*,(?!\s*(?:and|or|but|as|who|whom|whose|which|that|when|where|while|if|because|so|"
                        r"although|though|then)\b)([^,.;:()]*)(?:[,.;]|$)")


def _held(question: str) -> set[str]:
    """The question's capitalised words and initials, in lower case: names it holds already."""
    return capitalised(question) | {i.lower() for i in initials(question)}


def referent(names: NameIndex, sentence: str, asked: str, asked_word: Callable[[str], bool],
             subject_of: Callable[[str], bool] | None = None, someone: bool = False) -> str | None:
    """Whom the sentence (an answer to the questions ``asked``) names that they do not, in full. A name followed by
    a word of its own and "he" or "she" ("Nazarbayev said he ...": a person) comes first, the head of an
    institution's name last ("European Bank for ..."); in between a full name ("Suma Chakraborty", but also
    "Astana Opera Theater") before a single word, and of those, the one right before a word of the questions,
    the subject of what they asked ("Kasym Tokayev also refused ..." for "Which president refused ...?", not
    the "Vladimir Putin" before it), else the first. Capitals by position, a name the
    questions hold (as written, by ``asked_word``: in their English stand-ins too, or by initials: "NSC",
    "European Union" for "EU"), and words the documents also write in lower case (titles: "President", "Security
    Council") name no one new. With ``subject_of``, only a name right before a word it accepts counts ("won" for
    "Who won ...?"), unless negated ("never won"). With ``someone`` (whom "he" stands for), no place counts
    (``_at_a_place``) nor an acronym ("working for the US"), nor a word of a quoted title (“Oyan, Qazagstan!”) or
    of a compound ("Western-funded"), and a title does when no one else is named ("the President of the Republic
    of Kazakhstan meets ..." -> "President")."""
    held = _held(asked)
    runs = list(name_runs(sentence, names))
    title = None  # the first title ("President") whom "he" may stand for, with ``someone``
    found: list[tuple[bool, bool, bool, bool, str]] = []  # (no "he" after it, heads an institution's name,
    #                                                         not a full name, not the subject, it)
    for i, (offset, words) in enumerate(runs):
        proper = names.proper(words)
        if someone and (person := _person_of(words, proper)) != proper:
            # a title or an institution before the person: what the questions hold of it is not the person
            # ("Chinese" of "Chinese President Xi Jinping" for "Which Chinese leader ...?")
            words = proper = person
        spelled = {w.lower() for w in words} | {i.lower() for i in initials(" ".join(words))}
        if held & spelled or any(map(asked_word, words)) or (someone and (
                _in_quoted_title(sentence, offset) or _in_a_compound(sentence, offset, words) or (proper and (
                    _at_a_place(names, sentence, offset, words, proper) or _acronym(proper))))):
            continue
        if not proper:
            if someone and title is None and words[0].lower() not in NOT_NAMES:
                title = words[-1]
            continue
        end = run_end(sentence, offset, words)
        # up to the next name (not a month or weekday): "Putin, Tokayev also refused": Putin refused nothing
        upto = next((o for o, later in runs[i + 1:] if {w.lower() for w in later} - NOT_NAMES), len(sentence))
        following = [w for w in re.findall(r"[^\W\d_]+(?:['’]t)?", sentence[end:upto])
                     if w.lower() not in NOT_NAMES]
        following = following[:next((j for j, w in enumerate(following) if NEGATION.fullmatch(w)), None)]
        subject = any(map(subject_of or asked_word, following[:SUBJECT_REACH]))
        # "Nazarbayev said he": the name, a word of its own (not "before": "met Tokayev before he left"), "he"
        said_of = (len(following) > 1 and following[0].lower() not in FUNCTION_WORDS
                   and bool(SOMEONE_DOES.fullmatch(following[1])))
        institution = bool(OF_A_LONGER_NAME.match(sentence, end))  # "European Bank for Reconstruction ..."
        if subject or not subject_of:
            found.append((not said_of, institution, len(proper) < 2, not subject, " ".join(proper)))
    return min(found, key=lambda f: f[:4])[4] if found else title  # min keeps the first of equals


def _person_of(words: list[str], proper: list[str]) -> list[str]:
    """The proper words of a run after its last word that is none (a title, an institution's common word), when
    any follow it: whom "he" stands for in "Vice-President of the European Commission Josep Borrell" is "Josep
    Borrell", not a name of "European" and "Josep Borrell" (searched as "European", the word the documents
    write alone most often); "US Ambassador Daniel Rosenblum" is "Daniel Rosenblum"."""
    kept = set(proper)
    last_other = max((i for i, word in enumerate(words) if word not in kept), default=-1)
    return words[last_other + 1 :] or proper


def _in_quoted_title(sentence: str, offset: int) -> bool:
    """Whether the name at ``offset`` is inside quotation marks that hold a title, words in capitals alone
    (“Oyan, Qazagstan!”, “Democratic Choice of Kazakhstan”: an association's, a programme's): no one whom "he"
    stands for. Quoted speech has words in lower case (“Tokayev will win,” he said)."""
    opened = max(sentence.rfind(mark, 0, offset) for mark in OPENING_QUOTES)
    if opened < 0 or any(mark in sentence[opened + 1 : offset] for mark in CLOSING_QUOTES):
        return False
    closed = min((i for mark in CLOSING_QUOTES if (i := sentence.find(mark, offset)) >= 0), default=-1)
    words = re.findall(r"[^\W\d_]+", sentence[opened + 1 : closed]) if closed > 0 else []
    return bool(words) and all(w[0].isupper() or w.lower() in FUNCTION_WORDS for w in words)


def _in_a_compound(sentence: str, offset: int, words: list[str]) -> bool:
    """Whether the name is one word joined by a hyphen to a word in lower case ("Western-funded", "Moscow-led",
    "pro-Western"): a modifier, no one whom "he" stands for."""
    end = run_end(sentence, offset, words)
    return len(words) == 1 and bool(re.match(r"-[a-z]", sentence[end:]) or re.search(r"[a-z]-$", sentence[:offset]))


def _acronym(proper: list[str]) -> bool:
    """Whether a name is an acronym ("US", "EU", "CSTO"): a country's or an organisation's, no one's that "he"
    stands for (people's names are not written in capitals)."""
    return all(len(word) > 1 and word.isupper() for word in proper)


def _at_a_place(names: NameIndex, sentence: str, offset: int, words: list[str], proper: list[str]) -> bool:
    """Whether the name is a place: one the documents write after "in", or the sentence puts it after "in",
    "at", "through" ... (AT_A_PLACE: "in the Astana Opera Theater"), not as a possessive ("in Tokayev's view")."""
    end = run_end(sentence, offset, words)
    return names.places(proper) or bool(AT_A_PLACE.search(sentence[max(offset - PLACE_REACH, 0):offset])
                                        and not POSSESSIVE.match(sentence, end))


def answer_name(names: NameIndex, sentence: str, question: str, describes: Callable[[str], bool], most_share: float,
                asked_word: Callable[[str], bool]) -> Name | None:
    """The first full name the sentence describes by a word that ``describes`` accepts (a noun a "Which
    <noun> ...?" asks for), if it is ``rare`` at ``most_share`` (not the corpus's topic: "Kassym-Jomart
    Tokayev"). The word is inside the run of capitals ("US Ambassador Daniel Rosenblum" for "Which US
    ambassador ...?") or in the APPOSITION after it ("Josep Borrell, head of European
    diplomacy, came ..." for "Which head of EU diplomacy ...?"; "the Collective Security Treaty
    Organization, a Moscow-led military alliance of ex-Soviet states, when ..." for "Which alliance
    ...?"). The name is what follows the last word of the run that describes it or that the question
    holds (as written, or a name's word by ``asked_word``: its searched words), if at least two of those
    words are ones the documents never write in lower case: "Daniel Rosenblum". A run of the question's
    own ("Josep Borrell" for "Which head did Borrell meet?") leaves none."""
    held = _held(question)
    for offset, words in name_runs(sentence, names):
        end = run_end(sentence, offset, words)
        apposition = APPOSITION.match(sentence[end:])
        if not any(map(describes, words + (re.findall(r"\w+", apposition.group(1)) if apposition else []))):
            continue
        # (a question's word stands for a word of a name only if that word is no common one: "secured"
        # is not "Security")
        own = [i for i, w in enumerate(words)
               if w.lower() in held or describes(w) or (not names.common(w) and asked_word(w))]
        tail = tuple(w for w in words[own[-1] + 1 if own else 0:] if w.lower() not in NOT_NAMES)
        if sum(not names.common(w) for w in tail) >= 2:
            return Name(tail) if names.rare(Name(tail), most_share) else None
    return None
