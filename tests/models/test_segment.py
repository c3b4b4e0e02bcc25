"""Tests for the jieba segmentation layer (gongkai.models.segment)."""

from __future__ import annotations

import multiprocessing
import pickle
import re
import time
import unicodedata

import jieba
import pytest

from gongkai.models.segment import LEXICON_PATH, jieba_words, segment, segment_batch

# (term, sentence containing it): the term must come out as one word.
TERMS_IN_CONTEXT = [
    ("依申请公开", "本年度我局共办理依申请公开事项三十二件，均在法定期限内答复。"),
    ("主动公开", "该文件已于去年五月在门户网站主动公开，申请人可自行查阅。"),
    ("政府信息公开申请", "王某通过邮寄方式向区政府提交政府信息公开申请一份。"),
    ("不予公开", "经审查，所申请信息涉及国家秘密，决定不予公开。"),
    ("部分公开", "对申请中可以区分的内容，本机关作出部分公开的答复。"),
    ("区分处理", "所申请材料含有个人信息，本机关已作区分处理后提供。"),
    ("予以公开", "申请人要求获取的年度预算表，本机关依法予以公开。"),
    ("无法提供", "因档案在搬迁中遗失，该局告知申请人无法提供相关材料。"),
    ("不予处理", "申请人的诉求实为投诉，本机关依法不予处理并告知其他渠道。"),
    ("信访举报投诉", "该申请以公开申请之名反映信访举报投诉诉求，已转交信访部门。"),
    ("重复申请", "申请人就同一事项再次提出，属于重复申请，不再重复答复。"),
    ("公开出版物", "申请人要求提供的统计资料属于公开出版物，可在图书馆查阅。"),
    ("大量反复申请", "申请人半年内提交四百余件，属于无正当理由大量反复申请。"),
    ("逾期不补正", "申请人收到补正通知后逾期不补正，视为放弃申请。"),
    ("信息处理费", "申请数量超出合理范围，本机关依法收取信息处理费。"),
    ("三安全一稳定", "经评估，公开该信息可能危及三安全一稳定，决定不予公开。"),
    ("国家秘密", "所申请的军事设施选址资料已被依法确定为国家秘密。"),
    ("商业秘密", "中标企业的成本构成属于商业秘密，公开须征得其同意。"),
    ("个人隐私", "拆迁户的身份证号码和家庭住址涉及个人隐私。"),
    ("第三方合法权益", "公开该合同可能损害第三方合法权益，第三方明确表示不同意。"),
    ("征求第三方意见", "本机关在答复前书面征求第三方意见，延长答复期限二十日。"),
    ("内部事务信息", "干部考核打分表属于内部事务信息，依法可以不予公开。"),
    ("人事管理", "申请人要求公开的干部任免材料属于人事管理信息。"),
    ("后勤管理", "机关食堂采购明细属于后勤管理方面的内部事务。"),
    ("内部工作流程", "公文流转单反映的是内部工作流程，不属于应公开信息。"),
    ("过程性信息", "会议讨论中形成的意见属于过程性信息，可以不予公开。"),
    ("讨论记录", "申请人要求公开常务会议的讨论记录，本机关不予公开。"),
    ("过程稿", "规划方案的过程稿尚未定稿，不宜对外提供。"),
    ("磋商信函", "两部门之间往来的磋商信函属于过程性信息。"),
    ("请示报告", "区政府向市政府报送的请示报告不属于最终决定。"),
    ("行政执法案卷", "申请人要求获取的是行政执法案卷中的证据材料。"),
    ("行政查询事项", "房屋权属资料的获取属于行政查询事项，请按查询程序办理。"),
    ("不动产登记资料", "请持身份证明到登记窗口查询不动产登记资料。"),
    ("工商登记", "企业的股东信息可通过工商登记查询系统获取。"),
    ("另行制作", "申请人要求的分年度汇总表需要另行制作，本机关不予提供。"),
    ("加工分析", "该统计口径需对原始数据进行加工分析，不属于现有信息。"),
    ("现成信息", "经检索，本机关没有现成信息可以提供。"),
    ("行政复议", "申请人对答复不服，向市人民政府申请行政复议。"),
    ("行政诉讼", "申请人不服复议决定，向人民法院提起行政诉讼。"),
    ("结转下年度", "截至十二月底尚有三件申请未办结，结转下年度继续办理。"),
    ("勾稽关系", "年度报告第三部分各栏数据之间应当满足勾稽关系。"),
    ("行政处罚决定书", "请公开市场监管部门对某超市作出的行政处罚决定书。"),
    ("调查询问笔录", "申请人要求复印案件中的调查询问笔录和现场照片。"),
    ("现场检查笔录", "执法人员制作的现场检查笔录由当事人签字确认。"),
    ("听证笔录", "申请人要求获取本案听证笔录的复印件。"),
    ("征收补偿安置方案", "请提供我村所在片区的征收补偿安置方案及公告。"),
    ("房屋征收决定", "区政府于去年发布房屋征收决定，涉及住户三百余户。"),
    ("征地批复", "申请公开我村土地被征收时省政府作出的征地批复。"),
    ("建设用地规划许可证", "请公开该楼盘项目的建设用地规划许可证及附图。"),
    ("环境影响评价报告书", "申请人要求公开化工厂扩建项目的环境影响评价报告书。"),
    ("环评批复", "该项目的环评批复已在生态环境局网站公示。"),
    ("排污许可证", "请公开该造纸厂的排污许可证及执行报告。"),
    ("中标结果", "请公开道路改造工程的招标文件和中标结果。"),
    ("部门决算", "本机关二〇二二年部门决算已按规定向社会公开。"),
    ("三公经费", "申请人要求公开本局近三年三公经费的使用情况。"),
    ("市场监督管理局", "我于三月向区市场监督管理局寄出申请，至今未收到答复。"),
    ("住房和城乡建设局", "申请人要求县住房和城乡建设局公开安置房建设资金去向。"),
    ("自然资源和规划局", "市自然资源和规划局收到申请后转交不动产登记中心办理。"),
    ("人力资源和社会保障局", "申请人请求人力资源和社会保障局公开其社保缴费记录。"),
    ("卫生健康委员会", "省卫生健康委员会公开了本年度医疗机构名单。"),
    ("街道办事处", "拆迁协议由街道办事处与住户签订，申请人要求公开补偿标准。"),
    ("村民委员会", "申请人要求公开村民委员会分配宅基地的会议记录。"),
    ("国务院办公厅", "国务院办公厅印发的年度报告格式对统计口径作了规定。"),
    ("国家发展和改革委员会", "申请人向国家发展和改革委员会申请公开项目核准文件。"),
    ("宅基地", "申请人要求公开本村宅基地审批名单及面积。"),
    ("拆迁补偿", "申请人对拆迁补偿金额有异议，要求公开评估依据。"),
    ("安置房", "请公开该小区安置房的分配方案和分配结果。"),
    ("低保", "申请人要求公开本社区享受低保人员的名单和金额。"),
    ("社保缴费", "申请人要求查询其本人近十年的社保缴费明细。"),
    ("统计年鉴", "申请人要求提供本市统计年鉴，属于公开出版物。"),
]


def _lexicon_lines() -> list[str]:
    return LEXICON_PATH.read_text(encoding="utf-8").splitlines()


LEXICON_WORDS = frozenset(line.split()[0] for line in _lexicon_lines() if line.strip())


def test_enough_terms_in_context() -> None:
    assert len({term for term, _ in TERMS_IN_CONTEXT}) >= 40


@pytest.mark.parametrize(("term", "sentence"), TERMS_IN_CONTEXT)
def test_domain_term_stays_whole(term: str, sentence: str) -> None:
    """The term is one word, or lies inside a longer lexicon entry (市自然资源局)."""
    assert term in sentence
    words = segment(sentence)
    covering = [word for word in words if term in word]
    assert covering, words
    assert all(word == term or word in LEXICON_WORDS for word in covering), words


def test_lexicon_entries_valid_and_unique() -> None:
    lines = _lexicon_lines()
    pattern = re.compile(r"(\S+) ([1-9][0-9]*) ([a-z]+)")
    words = []
    for line in lines:
        match = pattern.fullmatch(line)
        assert match, f"invalid lexicon line: {line!r}"
        word = match.group(1)
        assert unicodedata.normalize("NFKC", word) == word
        assert all("\u4e00" <= ch <= "\u9fff" for ch in word), word
        words.append(word)
    assert len(words) == len(set(words)), "duplicate lexicon entries"
    assert len(words) >= 350


def test_every_lexicon_word_segments_alone() -> None:
    assert [w for w in sorted(LEXICON_WORDS) if segment(w) != [w]] == []


def test_global_jieba_untouched() -> None:
    segment("征收补偿安置方案")
    assert "征收补偿安置方案" not in jieba.dt.FREQ


def test_deterministic_and_batch() -> None:
    texts = [sentence for _, sentence in TERMS_IN_CONTEXT]
    first = segment_batch(texts)
    assert segment_batch(texts) == first
    assert first == [segment(t) for t in texts]
    assert [jieba_words(t) for t in texts] == first


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_same_in_worker_processes(method: str) -> None:
    texts = [sentence for _, sentence in TERMS_IN_CONTEXT]
    expected = [segment(t) for t in texts]
    with multiprocessing.get_context(method).Pool(2) as pool:
        assert pool.map(segment, texts, chunksize=8) == expected
        assert pool.map(jieba_words, texts, chunksize=8) == expected


def test_analyzer_pickles_by_reference() -> None:
    assert pickle.loads(pickle.dumps(jieba_words)) is jieba_words


def test_analyzer_in_vectorizer() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    vectorizer = text.CountVectorizer(analyzer=jieba_words)
    vectorizer.fit([sentence for _, sentence in TERMS_IN_CONTEXT])
    assert "过程性信息" in vectorizer.vocabulary_


@pytest.mark.parametrize("text", ["", " ", "\t\n\r  \u3000", "。，、！？…——", "...!?-_#&+%"])
def test_empty_whitespace_and_punctuation_only(text: str) -> None:
    assert segment(text) == []


def test_non_chinese_input() -> None:
    expected = ["FOIA", "request", "no", "42", "filed", "2023", "05", "01"]
    assert segment("FOIA request no. 42, filed 2023-05-01") == expected
    assert segment("Ｐｏｌｉｃｙ ２０２３") == ["Policy", "2023"]
    assert segment("3.5%") == ["3.5"]


def test_very_long_input() -> None:
    sentence = TERMS_IN_CONTEXT[25][1]
    text = sentence * (100_000 // len(sentence.encode()) + 1)
    assert len(text.encode()) >= 100_000
    start = time.perf_counter()
    words = segment(text)
    assert time.perf_counter() - start < 10
    assert words.count("过程性信息") == text.count("过程性信息")
    unbroken = "过程性信息" * 7_000  # 105 KB with no punctuation or spaces
    assert segment(unbroken) == ["过程性信息"] * 7_000


@pytest.mark.parametrize(
    ("fullwidth", "ascii_"),
    [
        (
            "申请人要求公开：征地批复、房屋征收决定（二〇二一年）。",
            "申请人要求公开:征地批复,房屋征收决定(二〇二一年).",
        ),
        (
            "“三安全一稳定”；《政府信息公开条例》第十四条！",
            '"三安全一稳定";<政府信息公开条例>第十四条!',
        ),
        (
            "区市场监督管理局【２０２３】第１２号行政处罚决定书？",
            "区市场监督管理局[2023]第12号行政处罚决定书?",
        ),
        ("部门决算—三公经费……过程性信息", "部门决算-三公经费...过程性信息"),
    ],
)
def test_punctuation_variants_agree(fullwidth: str, ascii_: str) -> None:
    assert segment(fullwidth) == segment(ascii_)
    assert segment(fullwidth)
