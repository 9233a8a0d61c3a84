"""The invented pages' words: extra uses and side effects, classes, targets and FAQs."""

from __future__ import annotations

EXTRA_SIDE_EFFECTS = (
    "Itching",
    "Hiccups",
    "Muscle cramps",
    "Sweating",
    "Metallic taste",
    "Hair thinning",
    "Ringing in the ears",
    "Loss of appetite",
)
EXTRA_USES = (
    "High blood pressure",
    "Acid reflux",
    "Anxiety",
    "Gout",
    "Asthma",
    "Acne",
    "Hay fever",
    "Irritable bowel",
)
CLASSES = (
    "selective receptor modulator",
    "calcium channel blocker",
    "enzyme inhibitor",
    "reuptake inhibitor",
    "membrane stabiliser",
    "partial agonist",
)
TARGETS = (
    "serotonin",
    "norepinephrine",
    "dopamine",
    "histamine",
    "GABA",
    "glutamate",
    "acetylcholine",
)
PLACES = ("brain", "spinal cord", "gut", "blood vessels", "nerves", "muscles")
EFFECTS = (
    "reduce pain signals",
    "improve mood",
    "calm overactive nerves",
    "ease muscle spasms",
    "lower blood pressure",
    "improve sleep",
)
ALWAYS_FAQS = (
    (
        "Why are these drugs used together?",
        "To combine the different mechanisms of action of {a} and {b} for better relief.",
    ),
    (
        "Can I stop taking these drugs suddenly?",
        "No, you should never stop taking {a} or {b} suddenly. Tapering off under medical "
        "supervision is crucial to avoid withdrawal symptoms.",
    ),
)
MORE_FAQS = (
    (
        "What are the potential side effects of using both drugs together?",
        "The side effects can be additive: more drowsiness, dizziness or nausea.",
    ),
    (
        "Is it safe to take these drugs together?",
        "It depends on the individual; a doctor should assess interactions before prescribing "
        "{a} with {b}.",
    ),
    (
        "Can I drink alcohol while taking {a} and {b}?",
        "Alcohol can add to the drowsiness of {b}; ask your pharmacist.",
    ),
    (
        "Should {b} be taken at night?",
        "Many people take {b} in the evening because it can make them sleepy.",
    ),
    (
        "How long does it take for {a} to start working?",
        "Some people notice a change within two weeks; the full effect can take longer.",
    ),
    (
        "Can {a} be taken with food?",
        "{a} can be taken with or without food; taking it with a meal may ease nausea.",
    ),
    ("Is {a} habit forming?", "{a} is not known to be habit forming at usual doses."),
    (
        "Will {b} affect my driving?",
        "{b} can slow reactions at first; do not drive until you know how it affects you.",
    ),
)
