"""The civic convention (《市民文明公约20条》): content, search, the quiz and the daily article.

No Telegram here. ``content`` reads and checks the city's YAML files, ``search`` finds the articles
that answer a question (BM25 over jieba tokens), ``ask`` holds the rules of a question, ``quiz`` the
quiz and personal bests, ``daily`` the daily-article loop; ``resources`` loads content and index.
"""

from bot.services.convention.ask import (
    QUESTION_LIMIT,
    Answer,
    QuestionProblem,
    QuestionRefused,
    check_question,
    find_answer,
)
from bot.services.convention.content import (
    CONVENTION_FILE,
    OPTION_LETTERS,
    QUIZ_FILE,
    Article,
    ContentError,
    ContentProblem,
    Convention,
    Place,
    PlaceKind,
    QuizQuestion,
    load_convention,
)
from bot.services.convention.daily import (
    DAILY_TASK_KIND,
    DailyNotice,
    create_daily_notice,
    daily_state,
    daily_task_key,
    next_daily_slot,
    schedule_daily_article,
)
from bot.services.convention.quiz import (
    QUIZ_SIZE,
    QuizOutcome,
    erase_user_data,
    export_user_data,
    pick_quiz,
    quiz_record,
    record_quiz_score,
)
from bot.services.convention.resources import ConventionResources, cached_resources, load_resources
from bot.services.convention.search import STRONG_SCORE, WEAK_SCORE, ConventionIndex, Match, has_chinese

__all__ = [
    "CONVENTION_FILE",
    "DAILY_TASK_KIND",
    "OPTION_LETTERS",
    "QUESTION_LIMIT",
    "QUIZ_FILE",
    "QUIZ_SIZE",
    "STRONG_SCORE",
    "WEAK_SCORE",
    "Answer",
    "Article",
    "ContentError",
    "ContentProblem",
    "Convention",
    "ConventionIndex",
    "ConventionResources",
    "DailyNotice",
    "Match",
    "Place",
    "PlaceKind",
    "QuestionProblem",
    "QuestionRefused",
    "QuizOutcome",
    "QuizQuestion",
    "cached_resources",
    "check_question",
    "create_daily_notice",
    "daily_state",
    "daily_task_key",
    "erase_user_data",
    "export_user_data",
    "find_answer",
    "has_chinese",
    "load_convention",
    "load_resources",
    "next_daily_slot",
    "pick_quiz",
    "quiz_record",
    "record_quiz_score",
    "schedule_daily_article",
]
