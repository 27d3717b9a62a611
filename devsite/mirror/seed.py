"""The project's seed text, and the page an aggregator would make of it.

The seed (``seeds/000_3f9dc59799250020.txt``) is what motivated the project: an article
flattened to lines, with a read-also chain glued to its label, a source line, and a whole
second article appended after another label, whose embedded tweet lost its markup and had
its signature glued to the next paragraph. The mirror serves it as one ``<br>`` page; its
expected records are the two articles the design document describes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from devsite.mirror.body import (
    AppendedTitle,
    Block,
    GluedChain,
    MarkerLine,
    Para,
    SourceLine,
    Target,
    Tweet,
    TweetBlock,
)

SEED_TEXT = """\
الناتو يبحث مع ليتوانيا تعزيز أفق التعاون المشترك
تاريخ النشر: 19th, January 2025 GMT
بحثت نائبة الأمين العام لحلف شمال الأطلسي الناتو راديلا سيكيرينسكا، تعزيز أفق التعاون المشترك مع ليتوانيا، حيث اختتمت زيارة استغرقت 3 أيام إلى ليتوانيا، حضرت خلالها اجتماعات والتقت بقوات الناتو في قاعدة روكلا العسكرية.
وحثت سيكيرينسكا في بيان الناتو على أهمية زيادة الإنفاق الدفاعي والإنتاج، ودعم أوكرانيا، ومواجهة الأعمال العدائية ضد الحلفاء، معتبرة أن روسيا هي أكبر تهديد وأن موسكو تريد مسح أوكرانيا من الخريطة، وتطرقت إلى دعم الصين وإيران وكوريا الشمالية وبيلاروسيا إلى روسيا، وأبرزت إطلاق مبادرة حارس البلطيق من قبل الناتو لتعزيز اليقظة في بحر البلطيق.
اقرأ أيضاًالناتو يبحث تعزيز روابط التعاون مع اليابان وكوريا الجنوبية
الناتو يطلق برنامج حارس البلطيق للحد من التخريبات البحرية
أمين عام الناتو يشيد بمساهمات بلغاريا في الأمن الأوروبي الأطلسي
المصدر: الأسبوع
إقرأ أيضاً:
كيم يجدد دعم كوريا الشمالية لحرب روسيا في أوكرانيا
جدد زعيم كوريا الشمالية كيم جونغ أون، دعمه الثابت لحرب روسيا في أوكرانيا في اجتماع مع مسؤول أمني روسي رفيع المستوى في بيونغ يانغ، حسب وسائل الإعلام في كوريا الشمالية اليوم السبت.
وجاء اجتماع الجمعة بين كيم، وسيرغي شويغو، الأمين العام لمجلس الأمن القومي الروسي، بعد تقييم للاستخبارات الكورية الجنوبية في أواخر فبراير(شباط) بأن كوريا الشمالية أرسلت على الأرجح قوات إضافية إلى روسيا بعد أن عانت قواتها من خسائر فادحة في القتال في الحرب الروسية الأوكرانية.
North Korean leader expresses support for Russia, hopes for victory:https://t.co/gtcNxrEUcA pic.twitter.com/to6QCMvyhk
— TASS (@tassagency_en) June 12, 2023وقالت وسائل إعلام حكومية كورية شمالية وروسية إن كيم وشويغو ناقشا قضايا مختلفة، من بينها حرب روسيا في أوكرانيا، وحوارات موسكو مع إدارة ترامب، والوضع الأمني في شبه الجزيرة الكورية.
وقالت وكالة الأنباء المركزية الكورية الشمالية إن كيم قال خلال الاجتماع إن حكومته "ستدعم دائماً روسياً في الكفاح من أجل الدفاع عن السيادة الوطنية وسلامة الأراضي والمصالح الأمنية".
وأفادت وكالة الأنباء الروسية الرسمية "تاس" في وقت سابق بأن أمين عام مجلس الأمن القومي الروسي أعرب خلال لقائه مع كيم عن امتنانه لتضامن كوريا الشمالية مع موقف روسيا من جميع القضايا الجيوسياسية الهامة، خاصةً القضية الأوكرانية."""

SEED_LINES = SEED_TEXT.split("\n")
SEED_TITLE = SEED_LINES[0]
APPENDED_TITLE = SEED_LINES[9]
# The seed's date carries no time; the page's metadata says mid-morning in Cairo, same day in UTC.
SEED_PUBLISHED = datetime(2025, 1, 19, 10, 30, tzinfo=timezone(timedelta(hours=2)))

_SIGNATURE = "— TASS (@tassagency_en) June 12, 2023"
_TWEET = Tweet(
    author="TASS",
    handle="@tassagency_en",
    status_id="",  # the flattened text keeps no status link
    posted=date(2023, 6, 12),
    text="North Korean leader expresses support for Russia, hopes for victory:",
    links=("https://t.co/gtcNxrEUcA",),
    pic="pic.twitter.com/to6QCMvyhk",
    lang="en",
    flat_line=SEED_LINES[12],
)


def seed_blocks() -> list[Block]:
    """The seed's lines after its title, as blocks; rendering them gives the seed back line by line."""
    lines = SEED_LINES
    glued_first = lines[4].removeprefix("اقرأ أيضاً")
    signed, after_signature = lines[13][: len(_SIGNATURE)], lines[13][len(_SIGNATURE) :]
    assert signed == _SIGNATURE == _TWEET.signature(), "the seed's tweet signature moved"
    return [
        MarkerLine(lines[1]),
        Para(lines[2]),
        Para(lines[3]),
        GluedChain("اقرأ أيضاً", (Target(glued_first), Target(lines[5]), Target(lines[6]))),
        SourceLine(lines[7], ("الأسبوع",)),
        MarkerLine(lines[8], label=True),
        AppendedTitle(lines[9]),
        Para(lines[10]),
        Para(lines[11]),
        TweetBlock(_TWEET, flat=True),
        Para(after_signature),
        Para(lines[14]),
        Para(lines[15]),
    ]
