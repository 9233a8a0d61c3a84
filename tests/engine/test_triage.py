"""The safety triage: emergencies as people write them, and alarming words that are not one.

The corpus tests (test_triage_corpus.py) measure the bars; these are readable examples of
each part of the mechanism: who, what, how much, when, intent, states, typos, figurative
speech, questions about danger, and the reply fitted to the danger.
"""

from __future__ import annotations

import json

import pytest

from bot.engine.engine import Engine
from bot.engine.render import DEFAULT_EMERGENCY_NUMBERS
from bot.knowledge.loading import KnowledgeBase

EMERGENCIES = [
    # the issue's own examples, missed by the regular expressions before
    ("my 3 year old found my amitriptyline and i think she swallowed some", "child_or_pet"),
    ("would forty gabapentin be enough to not wake up", "self_harm"),
    ("honestly gonna kms tonight", "self_harm"),
    ("took twenty gabapentin about an hour ago and my legs feel like jelly", "overdose"),
    ("hives and wheezing after my first dose of neurontin", "severe_reaction"),
    ("my husband fainted after his meds and wont respond to me", "severe_reaction"),
    ("took my husbands oxycodone instead of my gabapentin", "poisoning"),
    ("I took my whole week of gabapentin at once", "overdose"),
    # typos read as the words they are
    ("tooke 2 many gabapentin", "overdose"),
    ("i think i overdoesd on amitryptaline", "overdose"),
    ("i want to kill myslef", "self_harm"),
    ("i tok to many pils", "overdose"),  # a letter written once that is written twice
    ("i wnat to die", "self_harm"),  # two letters swapped
    ("gonna kil myself tonite", "self_harm"),  # and chat shorthand
    # slang and indirect intent
    ("thinking about sewerslide again", "self_harm"),
    ("i want to unalive myself", "self_harm"),
    ("been stockpiling my neurontin, i finally have enough", "self_harm"),
    ("goodbye everyone, this is my last message", "self_harm"),
    ("what is a lethal dose of amitriptyline", "self_harm"),
    # amounts in words
    ("took a dozen of my elavil", "overdose"),
    ("swallowed half the bottle of gabapentin", "overdose"),
    ("took 6 instead of 1 of my amitriptyline", "overdose"),
    ("took a months worth of gaba all at once", "overdose"),
    # a pet, a child, someone else's medicine, chemicals, fumes
    ("my dog ate my gabapentin pills", "child_or_pet"),
    ("the cat licked a gabapentin capsule", "child_or_pet"),
    ("drank some bleach by mistake and my throat is burning", "poisoning"),
    ("everyone in the house has a headache and the co alarm is going off", "poisoning"),
    ("snake bit my son on the ankle on our walk, it's swelling fast", "poisoning"),
    # ... and a story long over does not hide a danger now
    ("8 years clean but tonight i took 30 of my gabapentin", "overdose"),
    # states that need help now, told by their signs
    ("my wife suddenly cant speak and her arm is dead", "severe_reaction"),
    ("my muscles are going rigid and i have a fever and im so confused", "severe_reaction"),
    # farewells and plans said without the usual words
    ("told my sis i love her n turned my phone off after. this is it", "self_harm"),
    ("I'm going to walk into the sea tonight. I've left a note on the table.", "self_harm"),
    ("had loads of vodka with my amitriptyline and now i keep throwing up", "poisoning"),
    # states that need help now, with or without a drug
    ("my mum is breathing really slowly and her lips look blue", "severe_reaction"),
    ("my throat is closing up", "severe_reaction"),
    ("crushing chest pain going down my left arm", "severe_reaction"),
    ("my son is having a seizure right now", "severe_reaction"),
    ("one side of my face is drooping and my arm feels weak", "severe_reaction"),
    # voice-to-text splits a drug's name; other languages mixed in (translations as data)
    ("i think i over dosed on my gaba pen tin", "overdose"),
    ("took 20 a mid trip t line, heart racing", "overdose"),
    ("ich habe zu viele Tabletten genommen", "overdose"),
    ("mi perro comió mis pastillas", "child_or_pet"),
    # an emergency told in fragments over neighbouring sentences
    ("her boy just ate something from her bag. bottle says amitriptyline.", "child_or_pet"),
    ("Toddler. My pills. Elavil. Sleepy. Help.", "child_or_pet"),
    # a question that is not one: it already happened
    ("is 50 gabapentin lethal asking because i already took them", "overdose"),
    # a decision with a time, a farewell
    ("i've got the elavil and tonight i'm taking all of it", "self_harm"),
    ("last day on earth. been nice knowing this server", "self_harm"),
    # states that need help now, with numbers
    ("pulse 150 and temperature 40 after the new tablets, eyes flicking", "severe_reaction"),
    ("my dad collapsed in the garden and i cant find a pulse", "severe_reaction"),
    # a time still to come is not the look-alike past ("i get", "last week")
    ("cant do this anymore, doing it when i get home from work", "self_harm"),
    ("i don't see a future. this is my last week", "self_harm"),
    # a means and a time named alone make a plan; an exit said with permanence
    ("yes. got the rope. after the kids are asleep", "self_harm"),
    ("long day. long year. time to clock out permanently", "self_harm"),
    # a joke marked as meant (tone tags are data: "/srs" serious, "/j" joking)
    ("lol the ami finally has a use, the whole box tonight /srs", "self_harm"),
    ("im not joking, kms tonight", "self_harm"),
]

NOT_EMERGENCIES = [
    # figurative
    "this pain is killing me, does gabapentin actually do anything for nerve pain",
    "my legs are killing me at night, can gabapentin help restless legs",
    "overdosed on netflix lol anyway does elavil make you groggy",
    "poison ivy rash, can i use antihistamine cream while on gabapentin",
    "dying to know if gabapentin causes weight gain",
    "kill me now lol my pharmacy lost my script",
    "Pharmacist told me the price and I fainted. Metaphorically.",
    "my chest freezer is making a weird noise, can gabapentin go in the fridge",
    "my grandson's band is called Fatal Dose, first gig tonight!",
    # a change of subject: no window of sentences reaches across it
    "my puppy chewed my slipper last night lol, unrelated: can dogs take gabapentin",
    # his own medicine, not someone else's
    "my dad forgets if he took his pills, any tips for a pill organiser",
    # a decision that is not about dying
    "i decided to stop taking amitriptyline, any withdrawal effects?",
    # past or resolved
    "i overdosed on amitriptyline years ago, is 10mg safe now",
    "i used to self harm but ive been clean 4 years, how common are mood dips on elavil",
    "my dog ate one of my pills last christmas, the vet said he was fine",
    # a story long over: the whole message is about then
    "the one time i OD'd was 2016, stomach pumped. 8 years in recovery now",
    # side effects, goodbyes for now and another drug's effects are no emergency
    "is that a normal side effect",
    "bye for now, see you tomorrow",
    "been up on the roof since 6 fixing tiles, is it ok to take gaba on an empty stomach",
    "logging off for the night, bye guys, gonna pass out watching youtube",
    "my gp's hold music is so bad i'd rather unalive myself /j",
    "my granddaughter is having a sleepover, should i hide my pills in a locked tin",
    "this is my last message in this channel, mods asked us to move to #gaba-talk",
    # a question about someone in general, not a report
    "if someone accidentally took their pills twice, who should they call?",
    "tizanidine making me sleepy",
    "my feet are swelling up by the evening, is that the gabapentin",
    # a laughing face marks the joke
    "that meme about gabapentin had me choking 😂",
    # an amount of something that is no medicine
    "got lethal amounts of sass from the pharmacist today",
    # trigger words in harmless questions
    "is it hard to swallow gabapentin capsules",
    "does amitriptyline affect your breathing at all",
    "can amitriptyline cause chest tightness",
    # ordinary
    "can gabapentin cause drowsiness?",
    "is gabapentin used for seizures",
    "side effects of gabapentin",
]


@pytest.mark.parametrize(("question", "kind"), EMERGENCIES)
def test_emergencies_get_the_emergency_reply_of_their_kind(
    engine: Engine, question: str, kind: str
) -> None:
    reply = engine.ask(question)
    assert reply.kind == "emergency", (question, engine.safety.explain(question))
    assert reply.safety is not None and reply.safety.kind == kind
    assert reply.entry is None and reply.drug is None and reply.disclaimer is None
    assert "help now" in reply.text
    for word in ("drowsiness", "taper", "tricyclic", "swelling in hands"):
        assert word not in reply.text.casefold()  # never FAQ or drug-section content


@pytest.mark.parametrize("question", NOT_EMERGENCIES)
def test_alarming_words_are_not_an_emergency(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind != "emergency", (question, engine.safety.explain(question))


def test_the_reply_fits_the_danger(engine: Engine) -> None:
    self_harm = engine.ask("i want to kill myself").text
    assert self_harm.index("988") < self_harm.index(DEFAULT_EMERGENCY_NUMBERS)
    poisoning = engine.ask("my toddler swallowed some of my amitriptyline").text
    assert "poison control" in poisoning and DEFAULT_EMERGENCY_NUMBERS in poisoning
    pet = engine.ask("my dog ate my gabapentin").text
    assert "vet" in pet and "Animal Poison" in pet
    severe = engine.ask("my throat is closing up").text
    assert "call emergency services now" in severe


@pytest.mark.parametrize("question", [q for q, _ in EMERGENCIES])
def test_an_emergency_reply_never_says_the_same_thing_twice(engine: Engine, question: str) -> None:
    text = engine.ask(question).text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
    assert text.count("local emergency number") <= 1
    assert text.count(DEFAULT_EMERGENCY_NUMBERS) == 1


def test_the_emergency_reply_names_the_configured_numbers(knowledge: KnowledgeBase) -> None:
    local = Engine(knowledge, emergency_numbers="112 (test region)")
    for question in ("I overdosed", "i want to kill myself", "my dog ate my pills"):
        assert "112 (test region)" in local.ask(question).text


def test_emergency_wins_over_a_drug_and_a_topic(engine: Engine) -> None:
    reply = engine.ask(
        "hi quick q about gaba side effects but also i just swallowed the rest of my bottle"
    )
    assert reply.kind == "emergency"


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [
        ("what are the signs of an amitriptyline overdose?", "poison control"),
        ("can you overdose on gabapentin?", "poison control"),
        ("what should I do if my dog ever eats a pill?", "vet"),
        ("is gabapentin linked to suicidal thoughts?", "988"),
    ],
)
def test_questions_about_danger_get_guidance_first(
    engine: Engine, question: str, paragraph: str
) -> None:
    reply = engine.ask(question)
    assert reply.kind != "emergency"
    first = reply.body.split("\n\n")[0]
    assert paragraph in first
    assert "emergency" not in first.casefold()  # guidance, not the alarm
    assert reply.safety is not None and reply.safety.level == "guidance"


@pytest.mark.parametrize(
    "question",
    [
        "how much gabapentin should I take",
        "what's the max dose of amitriptyline",
        "whats the right amount of elavil to take",
        "can i take my amitriptyline at lunchtime instead of bedtime",
        "forgot my amitriptyline last night, do i double up tonight",
    ],
)
def test_dosing_refers_to_a_doctor_or_pharmacist(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "fallback"
    assert "doctor or pharmacist" in reply.text
    assert reply.topic == "dosing"


@pytest.mark.parametrize(
    "question",
    ["amitriptyline 10mg side effects", "im on 300mg gabapentin, what are the side effects"],
)
def test_a_strength_is_not_a_dosing_question(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "answer" and reply.topic == "side_effects"


def test_the_json_reply_carries_the_signals(engine: Engine) -> None:
    question = "my 2 year old swallowed 3 of my amitriptyline"
    found = json.loads(json.dumps(engine.ask(question).as_json(question)))["safety"]
    assert found["level"] == "emergency" and found["kind"] == "child_or_pet"
    assert {"dependant", "substance"} <= set(found["signals"])
    assert engine.ask("side effects of gabapentin").as_json("q")["safety"] is None


def test_explain_shows_what_figurative_words_took_away(engine: Engine) -> None:
    found = dict(engine.safety.explain("this pain is killing me"))
    assert "figurative" in found


def test_long_messages_are_read_only_so_far(engine: Engine) -> None:
    tail = "I took too many pills"
    assert engine.ask("a " * 5_000 + tail).kind == "emergency"
    assert engine.ask("a " * 20_000 + tail).kind != "emergency"
