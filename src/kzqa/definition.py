"""Whether a sentence says who or what someone named is: the answer to "Who is Karim Masimov?" (and "Which
<noun> ...?").

A question about one person by name alone (``question_types.asked_about``) is answered by what the
corpus says that person is, not by any sentence that mentions them: "Karim Masimov, the chairman of
the National Security Committee, ... were arrested" tells the reader who he is; "Karim Masimov's
closed trial began on the eve of the election" does not, though it scores nearer the question.

A sentence describes the name when it holds one of the surface patterns by which English news writing
defines a person (the patterns of definition-question answering, e.g. Hildebrandt, Katz and Lin,
"Answering Definition Questions with Multiple Knowledge Sources", 2004):

- a title in the run of capitals before the name, in words the documents also write in lower case
  ("First President Nursultan Nazarbayev", "US Ambassador Daniel Rosenblum"), or common nouns between an
  article and the name ("the incumbent president Kassym-Jomart Tokayev");
- an apposition after it that opens with a lower-case word ("Karim Masimov, the chairman of the
  National Security Committee, ...", "Josep Borrell, head of European diplomacy, ...");
- an apposition before it, set off by commas, with an article ("the former head of the National
  Security Committee ..., Karim Masimov, ...");
- a copula with an article after it ("Tokayev is a diplomat himself").

"Which <noun> ...?" is answered alike by a sentence that names someone by that noun (``named_by_noun``).

A Russian or Kazakh question's name ("Кто такой Масимов?") is read as the passages write it by the caller
(``answer._as_written``: the corpus words it clearly spells).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kzqa.candidates import Candidate
from kzqa.grounding import second_choice
from kzqa.lexicon import FUNCTION_WORDS
from kzqa.names import NOT_NAMES, Name, NameIndex, capitalised, name_runs, run_end
from kzqa.question_types import Asked, which_nouns
from kzqa.referents import APPOSITION, answer_name

ARTICLE = r"(?:the|a|an)"
COPULA = re.compile(rf"\s+(?:is|was|has been|had been)\s+(?:also\s+)?{ARTICLE}\s+[^\W\d_]", re.IGNORECASE)
# Common nouns right before the name, after an article: "the incumbent president Kassym-Jomart Tokayev".
ROLE_BEFORE = re.compile(rf"\b(?i:{ARTICLE})\s+((?:[a-z][\w-]*\s+){{1,3}})$")
# A clause before ", <name>," that describes it: from the sentence's start or the comma before, an article
# (after one word at most, not a preposition: "In the election, Tokayev, ..." says where, not who), and no
# comma up to the one before the name ("Only the former head of the National Security Committee ..., ").
PREPOSITIONS = ("in", "on", "at", "by", "for", "with", "from", "to", "of", "after", "before", "during", "under",
                "over", "since", "until", "among", "between", "against", "about", "into", "through", "amid", "despite")
DESCRIBED_BEFORE = re.compile(rf"(?:^|[,;:(])\s*(?:(?!(?i:{'|'.join(PREPOSITIONS)})\b)[^\W\d_]+\s+)?(?i:{ARTICLE})\s+"
                              r"[^,;:()]*,\s*$")


def describes(sentence: str, name: Name, names: NameIndex) -> bool:
    """Whether the sentence says who or what ``name`` is, by one of the patterns of the module's docstring."""
    wanted = {w.lower() for w in names.proper_words(str(name))}
    if not wanted:
        return False
    for offset, words in name_runs(sentence, names):
        at = next((i for i, w in enumerate(words) if w.lower() in wanted), None)
        if at is None:
            continue
        if any(names.common(w) and w.lower() not in NOT_NAMES for w in words[:at]):
            return True  # a title before it: "First President Nursultan Nazarbayev" (not "On Sunday Tokayev ...")
        role = ROLE_BEFORE.search(sentence[:offset])
        if role and not FUNCTION_WORDS & set(role.group(1).split()):
            return True  # "the incumbent president Kassym-Jomart Tokayev" (not "the vote for Tokayev")
        after = sentence[run_end(sentence, offset, words):]
        apposition = APPOSITION.match(after)
        if apposition and re.match(r"\s*[a-z]", apposition.group(1)):
            return True  # ", the chairman of the National Security Committee,"
        if COPULA.match(after):
            return True  # "Tokayev is a diplomat"
        if after.lstrip().startswith(",") and DESCRIBED_BEFORE.search(sentence[:offset]):
            return True  # "the former head of the National Security Committee ..., Karim Masimov,"
    return False


def describing(ranked: Sequence[Candidate], name: Name | None, asked: Asked, names: NameIndex) -> Candidate | None:
    """For "Who is <name>?" (``name``, as the passages write it), the best candidate that ``describes`` it
    (``grounding.second_choice``: within SOURCES_VIEW of the best, passing every check as quoted); None
    without a name, or when none does. It need not be as close to the question as an answer
    must be otherwise (``Settings.min_score``): a question of a name alone is short, and e5 scores every
    sentence far from it ("Who is Charles Michel?": 0.79 at best), where the name, written in the sentence,
    pins it down."""
    if not ranked or name is None:
        return None
    return second_choice(ranked, lambda c: describes(c.text, name, names), asked, names)


def named_by_noun(ranked: Sequence[Candidate], asked: Asked, names: NameIndex) -> Candidate | None:
    """For an English "Which <noun> ...?" whose best sentence names no one by that noun, the best candidate
    nearly as good that does (``grounding.second_choice``, by ``referents.answer_name``): "former President
    Nursultan Nazarbayev" for "Which former president handed power to Tokayev in 2019?", whose best sentence
    is a photo caption of Tokayev. None otherwise, or when the noun is part of a name the best sentence
    gives, none of whose other words the question holds ("Which security agency ...?": "the National
    Security Committee"). The corpus's topic may be the answer here."""
    nouns = {asked.stem(noun) for noun in which_nouns(asked.asking)} if asked.language == "en" else set()
    if not ranked or not nouns:
        return None

    def names_one(candidate: Candidate) -> bool:
        return answer_name(names, candidate.text, asked.asking, lambda word: asked.stem(word.lower()) in nouns, 1.0,
                           lambda word: asked.stem(word.lower()) in asked.stems) is not None

    def noun_in_a_new_name(candidate: Candidate) -> bool:  # "the National Security Committee" for "Which agency"
        return any(any(asked.stem(w.lower()) in nouns for w in words)
                   and not any(w.lower() in held or asked.stem(w.lower()) in asked.stems
                               for w in words if asked.stem(w.lower()) not in nouns)
                   for _, words in name_runs(candidate.text, names))

    held = capitalised(asked.asking)
    if names_one(ranked[0]) or noun_in_a_new_name(ranked[0]):
        return None
    return second_choice(ranked, names_one, asked, names)  # (the best is not one: see above)
