"""The name a sentence gives for what was asked: whom "he" stands for, who did it, which <noun> it is."""

from __future__ import annotations

import re

from kzqa.ingest import read_corpus
from kzqa.names import Name, NameIndex
from kzqa.referents import answer_name, referent
from tests.conftest import CORPUS


def test_the_name_an_answer_gives_is_the_full_name_it_describes_as_what_the_question_asks_for():
    index = NameIndex(read_corpus(CORPUS))

    def given(sentence: str, question: str, nouns: tuple[str, ...], most_share: float = 0.5) -> Name | None:
        asked = {w.lower() for w in re.findall(r"\w+", question)}  # (the question's searched words)
        return answer_name(index, sentence, question, lambda word: word.lower() in nouns, most_share,
                                 lambda word: word.lower() in asked)

    borrell = "Josep Borrell, head of European diplomacy, came to support Tokayev in the election."
    assert given(borrell, "Which head of EU diplomacy visited?", ("head",)) == Name(("Josep", "Borrell"))
    assert given(borrell, "Which envoy visited?", ("envoy",)) is None  # not described as one
    assert given(borrell, "Which head did Borrell meet?", ("head",)) is None  # the question's own name
    alliance = "Tokayev requested support from the Collective Security Treaty Organization, a Moscow-led alliance."
    assert given(alliance, "Which alliance did Tokayev call on?", ("alliance",)) == Name(
        ("Collective", "Security", "Treaty", "Organization"))
    # What stands after a name up to the next comma or the sentence's end describes it, not a clause that
    # goes on: Masimov is not one of the generals.
    generals = "Karim Masimov, as well as Elbasy's nephews and generals, were sent to be slaughtered."
    assert given(generals, "Which generals were punished?", ("generals",)) is None
    assert given("He met Josep Borrell, head of European diplomacy.", "Which head?", ("head",)) == Name(
        ("Josep", "Borrell"))
    # A noun inside the run describes it too; the question's words before the rest only describe it.
    met = "So, on November 14, the President of the Republic of Kazakhstan meets with US Ambassador Daniel Rosenblum."
    assert given(met, "Which US ambassador did Tokayev meet?", ("ambassador",)) == Name(("Daniel", "Rosenblum"))
    # A name the documents write everywhere is the corpus's topic, not a fact two outlets share.
    won = "Kassym-Jomart Tokayev, the incumbent president, won the snap vote by a landslide."
    assert given(won, "Which president won?", ("president",)) is None
    assert given(won, "Which president won?", ("president",), most_share=1.0) == Name(("Kassym", "Jomart", "Tokayev"))


def test_whom_an_answer_names_is_the_new_full_name_that_does_what_was_asked():
    # (``asked_word`` stands in for the questions' stemmed words, as the retriever reads them)
    index = NameIndex(read_corpus(CORPUS))
    asked_words = {"refused", "recognise", "republics", "forum", "reform", "council", "head", "de", "facto"}

    def named(sentence: str, asked: str) -> str | None:
        return referent(index, sentence, asked, lambda word: word.lower() in asked_words)

    # Both are full names the question does not hold: the one right before "refused" did what it asks.
    refused = ("In June 2022, when refusing to recognise the puppet “republics” of Donbass and Luhansk at an economic "
               "forum in St. Petersburg in the presence of Vladimir Putin, Kasym Tokayev also refused to give high "
               "honours to the Russian Federation.")
    assert named(refused, "Which Kazakh president refused to recognise the Donbass and Luhansk 'republics'?") \
        == "Kasym Tokayev"
    # The next name ends where a name's deed can stand; a month or weekday does not, a negation undoes it.
    assert named("In the presence of Putin, Tokayev refused to recognise them.", "Which president refused?") \
        == "Tokayev"
    won = {"won"}

    def doer(sentence: str) -> str | None:
        return referent(index, sentence, "Who won?", lambda word: False, subject_of=lambda word: word in won)

    assert doer("Tokayev on Sunday won the election.") == "Tokayev"
    assert doer("Masimov never won the election.") is None and doer("Masimov didn't win.") is None
    assert doer("The election was held after Nazarbayev stepped down.") is None  # no deed asked of him
    # A full name comes before a single one ("English"); a title of common words ("Reform Council") is no one.
    led = ("Thus, former English financier and ex-chairman of the European Bank for Reconstruction and Development "
           "Suma Chakraborty, who is now the de facto head of the Reform Council under the President of the Republic "
           "of Kazakhstan, prepared for Tokayev a plan.")
    assert named(led, "Who is the de facto head of the Reform Council?") == "Suma Chakraborty"
    # the head of an institution's name ("European Bank for ...") is the last choice, "X of Y" is a person
    assert named(led, "Who heads the Council?") == "Suma Chakraborty"
    assert named("Charles Michel of the European Council came to Astana.", "Who came?") == "Charles Michel"
    # A name "he" follows is a person, and comes before a full name that may be a place ("Astana Opera Theater").
    voted = ("For instance, when asked by journalists after voting at his polling station in the Astana Opera Theater, "
             "Nazarbayev said he was curious about who could be behind Masimov.")
    assert named(voted, "Who compared Masimov to Judas?") == "Nazarbayev"
    # Only a "he" after a word of the name's own (a verb) marks it: not one right after a place or the object.
    assert named("Speaking in Almaty, he praised Josep Borrell.", "Who spoke?") == "Josep Borrell"
    assert named("Kassym-Jomart Tokayev told Putin he would stay neutral.", "Who spoke?") == "Kassym Jomart Tokayev"
    assert named("Daniel Rosenblum met Tokayev before he left.", "Who met?") == "Daniel Rosenblum"
    ceded = ("Even after ceding the presidential office in 2019 to his chosen successor Tokayev, Nazarbayev remained a "
             "key political player as chairman of the Security Council.")
    assert named(ceded, "To whom did Nazarbayev cede the presidential office in 2019?") == "Tokayev"
    # A name the question holds, in full or by its initials, is no one new; nor is a capital by position.
    assert named("Karim Masimov, the chairman of the NSC, was arrested.", "Who chaired the NSC?") == "Karim Masimov"
    assert named("The NSC chairman was arrested.", "Who chaired the National Security Committee?") is None
    assert named("The European Union sent an envoy.", "Who did the EU send?") is None
    assert named("Firstly, the deadlines were shifted.", "Who shifted them?") is None
    # Whom "he" stands for is no place the documents write "in"; a title is, when no one else is named.
    met = "So, on November 14, the President of the Republic of Kazakhstan unexpectedly meets with Daniel Rosenblum."
    assert named(met, "Who met Daniel Rosenblum?") == "Kazakhstan"  # any name (a doer may be a country)

    def whom_he_is(sentence: str, asked: str) -> str | None:
        return referent(index, sentence, asked, lambda word: word.lower() in asked_words, someone=True)

    assert whom_he_is(met, "Who met Daniel Rosenblum?") == "President"
    # a person named after an institution or a title in one run of capitals is the person alone
    visited = ("The country is visited by the EU High Representative for Foreign Affairs and Security Policy, "
               "Vice-President of the European Commission Josep Borrell, who also consolidates all agreements.")
    assert whom_he_is(visited, "Who is the EU High Representative for Foreign Affairs?") == "Josep Borrell"
    assert whom_he_is("Kazakh President Kasym Zhomart Tokayev spoke.", "Who spoke?") == "Kasym Zhomart Tokayev"
    # and the question's words before the person ("Chinese", a title's) do not make them a name it holds
    visit = "Our country was visited by Chinese President Xi Jinping, the Pope, and Turkish President Erdogan."
    assert whom_he_is(visit, "Which Chinese leader visited Kazakhstan?") == "Xi Jinping"
    assert whom_he_is("Tokayev met the President of Russia in Astana.", "Who met?") == "Tokayev"
    assert whom_he_is("The protests spread to Almaty.", "Where did they spread?") is None
    # nor a name the sentence itself puts after "in" or "at": a venue, though no document writes it so elsewhere
    assert whom_he_is("Journalists met at the Astana Opera Theater after Daniel Rosenblum spoke.", "Who spoke?") \
        == "Daniel Rosenblum"
    assert whom_he_is("Tokayev voted in the Astana Opera Theater, and Rosenblum watched.", "Who watched Tokayev?") \
        == "Rosenblum"
    # or after "through", "across", "into": "Alma-Ata and other cities" is no one, though "others" was asked
    arrested = ("Karim Masimov, the chairman of the committee, was arrested as they rampaged through Alma-Ata and "
                "other cities.")
    assert referent(index, arrested, "Who was arrested with several hundred others?",
                    lambda word: word.lower() in {"arrested", "several", "hundred", "other"}, someone=True) \
        == "Karim Masimov"
    # (a possessive after "in" or "at" is someone's: "in Abishev's view", "at Putin's invitation")
    assert whom_he_is("In Abishev's view, the vote changes little.", "Who thinks so?") == "Abishev"
    assert whom_he_is("At Putin's invitation, Tokayev came.", "Who invited him?") == "Putin"
