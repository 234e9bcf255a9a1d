"""Complaint sorting by jieba keyword matching (谁主管、谁负责).

A complaint is cut into words (jieba with the civic user dictionary and every keyword taught to it;
dictionary words only: no HMM guessing of unknown words, so a one-character keyword such as 脏 is
never swallowed by a guessed word); every word of three or more characters also yields the
dictionary words of two and three characters inside it (jieba's search mode: 化工厂 → 化工、工厂),
so a keyword is found inside a compound jieba keeps whole. Phrases (keywords of several words) match
when their words stand next to each other, "A+B" keywords when each part is found anywhere. A
keyword found only inside a longer keyword found (垃圾 in 垃圾桶) counts once, through the longer.

Shipped taxonomy (``scoring: sum``): each category scores the weights of its event keywords found.
Place words (``places:``: 人行道, 小区, 外卖 …) say where, not what: they count only when no event
word matched at all, or to break a tie between the categories the event words left too close. The
best category wins unless its score is too low or the runner-up too close: then the complaint goes
to 待分拣 (manual triage) — unless ``settings.fallback`` names a learned file (``fallback``): its
learned words then decide among the categories within ``fallback_margin`` of the best.

Urgent one-vote-veto kinds are flagged independently of the category: their keywords are matched the
same way (words, never bare characters inside unrelated words), and an occurrence inside one of the
kind's ``not_when`` phrases (爆炸头, 消防演练, 容易着火 …) does not count.

Learned files (``chuangwen complaints learn``, see ``bot.services.complaint_learning``) use the same
format with ``settings.scoring: tfidf`` (or ``linear``): per category a bias plus the (possibly
negative) keyword weights times each keyword's tf-idf value; the highest total wins and its softmax
probability is the confidence.

Deterministic, no network, loaded once per process (``ComplaintClassifier.load``) and kept on
``bot_data.resources``; ``classify`` is a pure function of the text.

The package: ``taxonomy`` (the categories and departments files, their types and errors),
``keywords`` (how a keyword is written: "A+B", "A|B", phrases), ``masks`` (urgent kinds' not_when
phrases), ``segmenter`` (the jieba cut), ``matching`` (finding the keywords in the cut words, each
with its record), ``scoring`` (how a category wins), ``fallback`` (the learned file for close calls)
and ``complaint_classifier`` (the tables built at load, and ``classify``).

Speed: jieba's dictionary (some 580,000 words) and the classifier's own tables mostly sit outside
the processor's caches when a complaint arrives, so what costs is the number of different places
read, not the instructions: the first word of every keyword carries its entry on its dictionary
frequency (``segmenter.Marked``), so the cut that looks a word up also finds the keywords it starts;
a keyword's record holds all the classifier needs of it; the fallback's rows are arrays.
"""

from bot.services.classifier.complaint_classifier import (
    COMMON_CHARACTER,
    KEYWORD_FREQ,
    MAX_PHRASE_WORDS,
    ComplaintClassifier,
)
from bot.services.classifier.fallback import FallbackChoice, LearnedFallback
from bot.services.classifier.keywords import ALTERNATIVE, CONJUNCTION, EXCLUSION_SLOT
from bot.services.classifier.taxonomy import (
    LINEAR_SCORING,
    SCORINGS,
    SUM_SCORING,
    TFIDF_SCORING,
    TRIAGE_ID,
    URGENT_LABEL_PREFIX,
    Category,
    Classification,
    Department,
    TaxonomyError,
    UrgentKind,
    load_departments,
)

__all__ = [
    "ALTERNATIVE",
    "COMMON_CHARACTER",
    "CONJUNCTION",
    "EXCLUSION_SLOT",
    "KEYWORD_FREQ",
    "LINEAR_SCORING",
    "MAX_PHRASE_WORDS",
    "SCORINGS",
    "SUM_SCORING",
    "TFIDF_SCORING",
    "TRIAGE_ID",
    "URGENT_LABEL_PREFIX",
    "Category",
    "Classification",
    "ComplaintClassifier",
    "Department",
    "FallbackChoice",
    "LearnedFallback",
    "TaxonomyError",
    "UrgentKind",
    "load_departments",
]
