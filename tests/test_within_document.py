"""Which entry of a note answers: the note, a section, or another section beside it."""

from __future__ import annotations

from pathlib import Path

from knowledge.loader import build_kb
from knowledge.search import Index


def index_of(tmp_path: Path, notes: dict[str, str]) -> Index:
    """An index over scratch note files, none of them copied from real notes."""
    for name, text in notes.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Index(build_kb(tmp_path).entries)


def top(index: Index, query: str) -> str | None:
    best = index.search(query).best
    return best.entry.title if best else None


# Other notes, so the words have the weights they have in a real collection.
OTHER_NOTES = {
    "pip.md": "# pip 설치\n\npip install 명령으로 패키지를 설치한다.\n",
    "brew.md": "# Homebrew\n\nbrew install 로 설치한다. 설치 경로는 /opt/homebrew.\n",
    "node.md": "# Node\n\nnvm 으로 설치한다.\n",
    "java.md": "# Java\n\nJDK 를 설치하고 경로를 잡는다.\n",
    "vim.md": "# Vim\n\n플러그인 설치는 vim-plug 로.\n",
    "docker.md": "# Docker\n\n컨테이너를 만든다.\n\n## 이미지\n\n패키지로 설치한 뒤 이미지를 만든다.\n",
}


def test_a_section_read_under_its_notes_title_answers_what_the_note_only_names(tmp_path):
    """A question "tortoise 설치": the note is titled Tortoise, its "Getting Started" says how to install
    it. A reader sees the section under the note's title, so it answers both words."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "tortoise.md": (
                "# Tortoise 05-29-2022\n\n비동기 ORM 라이브러리 정리.\n\n"
                "## Getting Started\n\npip 으로 설치하고 모델을 정의한다.\n\n"
                "## Queries\n\nfilter 와 get 으로 조회한다.\n"
            ),
        },
    )
    assert top(index, "tortoise 설치") == "Getting Started"
    # The note's title alone asks for the note.
    assert top(index, "tortoise") == "Tortoise 05-29-2022"


def test_of_two_sections_under_one_heading_the_one_saying_no_more_than_asked_answers(tmp_path):
    """Under "Boyer Moore Algorithm", "Bad character rule" and "Boyer Moore using bad character
    rule" both answer "boyer moore bad character rule" once the heading is read as context; the
    one whose own title says nothing more answers first."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "bm.md": (
                "# Bm algo 09-28-2022\n\n"
                "## Boyer Moore Algorithm\n\n문자열 검색 알고리즘.\n\n"
                "### Pattern matching\n\n패턴을 오른쪽에서 왼쪽으로 비교한다.\n\n"
                "### Bad character rule\n\n"
                "불일치 문자가 패턴에 마지막으로 나온 자리로 건너뛴다. character 표를 만든다.\n\n"
                "### Boyer Moore using bad character rule\n\n"
                "표를 써서 검색한다. rule 에 따라 이동한다.\n\n"
                "### References\n\n교재.\n"
            ),
        },
    )
    assert top(index, "bad character rule of boyer moore") == "Bad character rule"


def test_a_passing_mention_in_a_subsection_does_not_take_the_place_of_its_heading(tmp_path):
    """The question "pg 실행계획 kind 컬럼 의미" asks for the "kind 컬럼" section; its subsection "SEQ" says
    의미 in passing, which is a small share of the question."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "plan.md": (
                "# 실행계획\n\npg 의 실행계획 읽는 법.\n\n"
                "## id 컬럼\n\n행 번호.\n\n"
                "## kind 컬럼\n\n접근 방식을 나타낸다.\n\n"
                "### INDEX\n\n인덱스로 읽는다.\n\n"
                "### SEQ\n\n전체를 읽는다는 의미. 가장 느리다.\n"
            ),
        },
    )
    assert top(index, "pg 실행계획 kind 컬럼 의미") == "kind 컬럼"


def test_a_title_the_question_reads_like_keeps_its_place_over_a_section_under_its_words(tmp_path):
    """The question "3장 B-Tree 인덱스" reads like the title "B-Tree 인덱스" with a chapter number before it:
    that section answers, not "커버링 인덱스", which has every word once read under its heading
    "B-Tree 인덱스를 통한 읽기" (3장 in its text)."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "index.md": (
                "# 인덱스 정리\n\n데이터베이스 인덱스.\n\n"
                "## 인덱스란?\n\n찾기 쉽게 정렬해 둔 것.\n\n"
                "### B-Tree 인덱스\n\n균형 트리로 정렬한다.\n\n"
                "## B-Tree 인덱스를 통한 읽기\n\n읽는 방법들.\n\n"
                "### 커버링 인덱스\n\n3장에서 본 대로 인덱스만 읽고 끝낸다.\n"
            ),
        },
    )
    assert top(index, "3장 B-Tree 인덱스") == "B-Tree 인덱스"


STORAGE = (
    "# 웹 기초\n\n브라우저와 서버 이야기.\n\n"
    "## 브라우저 저장소\n\n브라우저가 데이터를 남기는 곳.\n\n"
    "### Local Storage\n\n만료 없이 남는다. 도메인마다 5MB.\n\n"
    "### Session Storage\n\n탭을 닫으면 지워진다.\n\n"
    "### Cookie\n\n서버로 매번 보내진다. 만료일을 정하고, 탭을 닫아도 남는다. "
    "Local Storage 와 달리 4KB 까지.\n\n"
    "## 렌더링\n\nDOM 을 그린다.\n"
)


def test_things_listed_side_by_side_are_answered_by_the_heading_over_their_parts(tmp_path):
    """A question "로컬 스토리지, 세션 스토리지, 쿠키는 각각 어떻게 달라?" names three sections; the one
    whose body compares the most is not what was asked: the heading over all three is."""
    index = index_of(tmp_path, {**OTHER_NOTES, "web.md": STORAGE})
    assert top(index, "로컬 스토리지, 세션 스토리지, 쿠키는 각각 어떻게 달라?") == "브라우저 저장소"
    assert top(index, "local storage vs session storage vs cookie") == "브라우저 저장소"
    # One of them asked about alone is that part.
    assert top(index, "쿠키 만료일은 어떻게 정해?") == "Cookie"
    # Listed things one title names together are answered there.
    index = index_of(
        tmp_path / "io",
        {
            **OTHER_NOTES,
            "io.md": "# 자바 입출력\n\n## Scanner와 BufferedReader\n\n둘 다 입력을 읽는다.\n\n"
            "### Scanner\n\n편하지만 느리다.\n\n"
            "### BufferedReader\n\n버퍼를 써서 빠르다. Scanner 보다 빠르다.\n",
        },
    )
    assert top(index, "Scanner랑 BufferedReader 중에 뭐가 더 빠르고 언제 써?") == (
        "Scanner와 BufferedReader"
    )
    assert top(index, "BufferedReader는 왜 빨라?") == "BufferedReader"


def test_a_word_side_by_side_with_another_only_in_passing_keeps_the_part(tmp_path):
    """For "setTimeout이랑 클로저", a heading that mentions setTimeout in a long title about
    something else is not a part about it, and "hotfix 브랜치" lists nothing."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "closure.md": "# 클로저\n\n함수와 환경.\n\n"
            "## setTimeout()에 넘기는 콜백 함수를 사용자 정의 객체로 감싸는 방법\n\n감싼다.\n\n"
            "## 루프 안에서 클로저를 쓰는 경우\n\nfor 루프에서 setTimeout 콜백이 같은 i 를 본다.\n",
            "flow.md": "# Git Flow\n\n브랜치 전략.\n\n## feature 브랜치\n\n기능 개발.\n\n"
            "## develop 브랜치\n\n통합.\n\n## HotFix\n\nmain 에서 따서 급한 수정을 한다.\n",
        },
    )
    assert top(index, "for 루프 안에서 setTimeout이랑 클로저를 같이 쓰면 왜 같은 값만 찍혀?") == (
        "루프 안에서 클로저를 쓰는 경우"
    )
    assert top(index, "hotfix 브랜치") == "HotFix"


def test_parts_glossed_in_parentheses_are_about_what_they_name(tmp_path):
    """ "DLX (Dead Letter Exchange)" is about DLX: its gloss names it again. Asked about DLQ and
    DLX side by side, the note over both answers; a question whose subject is a third part
    ("UMD pattern to support both CommonJS and AMD") keeps that part."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "dlq.md": "# 05_DeadLetterQueue\n\nRabbitMQ 에서 처리 못 한 메시지.\n\n"
            "## DLQ 란\n\n거절되거나 만료된 메시지가 가는 큐.\n\n"
            "## DLX (Dead Letter Exchange)\n\n메시지가 거절되면 DLX 로 보내지고, DLX 가 DLQ 로 "
            "라우팅한다. RabbitMQ 큐 인자로 정한다.\n\n## 구현\n\n큐를 선언할 때 인자를 준다.\n",
            "modules.md": "# 모듈시스템\n\n## commonJS\n\nrequire 로 읽는다.\n\n"
            "## AMD(Asynchronous Module Definition)\n\n비동기로 읽는다.\n\n"
            "## UMD(Universal Module Definition)\n\nCommonJS 와 AMD 를 모두 지원하는 pattern.\n",
        },
    )
    assert (
        top(index, "RabbitMQ에서 DLQ랑 DLX는 뭐고 메시지가 언제 DLQ로 가?") == "05_DeadLetterQueue"
    )
    assert top(index, "UMD pattern to support both CommonJS and AMD") == (
        "UMD(Universal Module Definition)"
    )


def test_two_phrases_side_by_side_are_told_apart_by_the_words_they_do_not_share(tmp_path):
    """ "지속적 제공이랑 지속적 배포": both phrases say 지속적; 제공 and 배포 are the things listed,
    and the note over both sections answers. "도커 CMD랑 ENTRYPOINT 차이" lists two things of
    Docker, not Docker itself."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "cicd.md": "# CI/CD(2/2)\n\n배포 자동화.\n\n"
            "## Continuous Delivery : 지속적 제공\n\n배포 직전까지 자동으로 준비한다. "
            "지속적 배포와 달리 사람이 승인한다.\n\n"
            "## Continuous Deployment : 지속적 배포\n\n운영까지 자동으로 배포한다.\n\n"
            "## 마치며\n\n정리.\n",
            "dockerfile.md": "# Dockerfile\n\n도커 이미지 설정.\n\n## CMD 와 ENTRYPOINT\n\n"
            "둘 다 실행할 명령. CMD 는 덮어쓸 수 있다.\n\n## COPY\n\n파일 복사.\n",
        },
    )
    assert top(index, "지속적 제공이랑 지속적 배포 차이가 뭐야?") == "CI/CD(2/2)"
    assert top(index, "도커 CMD랑 ENTRYPOINT 차이가 뭐야") == "CMD 와 ENTRYPOINT"


def test_a_note_comes_before_a_section_of_the_same_name_in_another_note(tmp_path):
    """Redis.md has a heading "Redis Stream" that only links to Redis_Stream.md, the note about
    it: asked about, the note answers, not the heading."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "Infra/Redis.md": "# Redis\n\n인메모리 저장소.\n\n## [Redis Stream](Redis_Stream)\n\n"
            "## Pub/Sub\n\n메시지를 뿌린다.\n",
            "Infra/Redis_Stream.md": "# Redis Stream\n\nappend-only log 처럼 동작한다.\n\n"
            "## 사용 사례\n\n- 이벤트 소싱\n- 알림\n",
        },
    )
    best = index.search("what is Redis Stream used for?").best
    assert best is not None and best.entry.source == "Infra/Redis_Stream.md"
    assert best.entry.kind == "document"


def test_things_compared_with_a_space_and_a_part_that_tells_them_apart(tmp_path):
    """ "lax strict 차이" lists two things with a space, as people type, and is answered by the
    heading over both; "docker 가상머신 차이" is answered by the part of the Docker note that
    compares it with virtual machines, not by the note, which names them only through it. A
    list that asks no difference ("클래스 and 익명 객체") is about the note on both."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "cookie.md": "# 쿠키\n\n브라우저에 저장된다.\n\n## SameSite\n\n다른 사이트 요청에 쿠키를 "
            "보낼지 정한다.\n\n### Lax\n\n링크로 이동할 때는 보낸다.\n\n### Strict\n\n같은 사이트만 "
            "보낸다.\n\n### None\n\nSecure 와 함께 쓴다.\n",
            "docker.md": "# Docker\n\n컨테이너를 실행한다. 이미지로 만든다.\n\n## 이미지\n\n레이어.\n\n"
            "## 가상머신과 차이\n\n가상머신은 게스트 OS 를 올리고 docker 는 커널을 공유한다.\n",
            "nested.md": "# 중첩 클래스\n\n클래스 안의 클래스.\n\n## 인스턴스 멤버 클래스\n\n"
            "바깥 객체가 있어야 한다.\n\n## 익명 객체\n\n이름 없는 클래스의 객체. 중첩 클래스처럼 "
            "바깥 변수를 쓴다.\n",
        },
    )
    assert top(index, "쿠키 lax strict 차이") == "SameSite"
    assert top(index, "docker 가상머신 차이") == "가상머신과 차이"
    assert top(index, "중첩 클래스 and 익명 객체") == "중첩 클래스"


def test_a_note_comparing_its_sections_gives_each_only_its_own_side(tmp_path):
    """A note "Short Polling vs Long Polling" with a section for each: the long one is not about
    short polling because the note's title says both. Asked for long polling in the words the short
    section happens to use more, the long section answers; a note whose one section repeats its
    title ("Docker" and "Docker Compose") still gives every section its title's word."""
    note = (
        "# Short Polling vs Long Polling\n\n실시간 통신을 구현하는 두 방식.\n\n"
        "## Short Polling\n\n클라이언트가 주기적으로 요청하고 서버가 바로 응답한다. "
        "데이터가 없으면 빈 응답이 오고 지연이 생길 수 있다.\n\n"
        "## Long Polling\n\n서버가 데이터가 생길 때까지 응답을 미룬다.\n"
    )
    index = index_of(tmp_path, {**OTHER_NOTES, "polling.md": note})
    assert top(index, "long polling 서버가 바로 응답 안 하고 데이터 생길 때까지 기다리는 방식") == (
        "Long Polling"
    )
    assert top(index, "short polling 빈 응답") == "Short Polling"
    docker = (
        "# Docker\n\n컨테이너를 만든다.\n\n## 설치\n\n패키지로 설치한다.\n\n"
        "## Docker Compose\n\n여러 컨테이너를 한 번에 띄운다.\n"
    )
    index = index_of(tmp_path / "docker", {**OTHER_NOTES, "docker.md": docker})
    assert top(index, "docker 설치") == "설치"


def test_a_file_whose_entries_are_not_in_one_run_is_answered_without_error(tmp_path):
    """An index may be given a file's entries apart (a KB assembled from several sources, or
    replicated for a benchmark): reading sections under their headings assumes one run, and
    must not fail where there is none; the answer stands."""
    (tmp_path / "tortoise.md").write_text(
        "# Tortoise\n\nORM 소개.\n\n## Getting Started\n\npip으로 설치한다.\n\n## Models\n\n모델 정의.\n"
    )
    (tmp_path / "other.md").write_text("# Other\n\n설치 없이 쓴다.\n")
    entries = list(build_kb(tmp_path).entries)
    # The other file's document between Tortoise's document and its sections.
    by_title = {e.title: e for e in entries}
    # The note and one section, then the other file, then the section the question asks for.
    apart = [
        by_title["Tortoise"],
        by_title["Models"],
        by_title["Other"],
        by_title["Getting Started"],
    ]
    answer = Index(apart).search("tortoise getting started 설치")
    assert answer.best is not None and answer.best.entry.title == "Getting Started"


def test_a_section_whose_title_names_more_of_the_question_answers_before_its_note(tmp_path):
    """A note "RAID 0이란?" has a section "EBS에서 RAID 0을 쓰는 이유". "RAID 0 EBS IOPS" asks
    for the section: it has every word the note has, and its title names EBS too, though the
    note's shorter title says less besides."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "ebs.md": "# EBS 볼륨\n\n블록 스토리지. 볼륨마다 IOPS 제한이 있다.\n",
            "raid.md": (
                "# RAID 0이란?\n\n- 여러 디스크(EBS 볼륨 포함)를 하나의 논리 디스크처럼 묶어 분산 저장\n"
                "- 디스크 개수만큼 IOPS 증가\n\n"
                "## EBS에서 RAID 0을 쓰는 이유\n\n"
                "- EBS 볼륨은 각각 IOPS 제한이 있음\n- 여러 EBS 볼륨을 RAID 0으로 묶어 IOPS를 높인다\n\n"
                "## 단점\n\n디스크 하나가 고장나면 전부 잃는다.\n"
            ),
        },
    )
    assert top(index, "RAID 0 EBS IOPS") == "EBS에서 RAID 0을 쓰는 이유"
    # The note's own words ask for the note.
    assert top(index, "RAID 0 디스크") == "RAID 0이란?"


def test_parts_the_question_lists_by_name_are_answered_by_the_heading_over_them(tmp_path):
    """Asked "join 종류 nested loop hash merge", a reader wants the section over the three
    parts it lists, not the one part whose body says most of the words; asked about the
    conditions of a deadlock by their names, the section they are parts of answers, not a
    section further on whose body names them all again. A part asked with one other name as
    its context ("hash join 조건") keeps its place."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "plan.md": "# 실행 계획 읽기\n\n옵티마이저가 고른 계획을 본다.\n\n"
            "## Join 종류\n\n옵티마이저가 조인 방식을 고른다.\n\n"
            "### Nested Loop\n\n바깥 행마다 안쪽을 훑는다. 작은 테이블에 좋다.\n\n"
            "### Hash\n\n한쪽으로 해시 테이블을 만들고 다른 쪽으로 찾는다. nested loop 보다 "
            "큰 테이블에 좋고 merge 처럼 정렬이 필요 없다. 조건은 등호 조인이다.\n\n"
            "### Merge\n\n양쪽을 정렬한 뒤 합친다.\n\n"
            "## 힌트\n\n힌트로 조인 방식을 강제한다.\n",
            "lock.md": "# 교착 상태\n\n서로 자원을 기다리며 멈춘다.\n\n"
            "## 교착 상태의 발생 조건\n\n네 가지가 모두 성립해야 한다.\n\n"
            "### 상호 배제(Mutual Exclusion)\n\n자원은 한 번에 하나만 쓴다.\n\n"
            "### 점유와 대기\n\n자원을 쥔 채 다른 자원을 기다린다.\n\n"
            "### 순환 대기\n\n기다림이 원을 이룬다.\n\n"
            "## 예방\n\n발생 조건 중 하나를 깬다. 상호 배제를 없애거나, 점유와 대기를 막거나, "
            "자원에 순서를 매겨 순환 대기를 막는다. 교착 상태는 그렇게 예방한다.\n",
        },
    )
    assert top(index, "join 종류 nested loop hash merge") == "Join 종류"
    assert (
        top(index, "교착상태 발생 조건 상호배제 점유와 대기 순환 대기") == "교착 상태의 발생 조건"
    )
    assert top(index, "hash join 조건") == "Hash"


def test_a_section_titled_by_what_is_asked_gives_way_to_the_note_on_the_topic(tmp_path):
    """ "원인" under a note "캐시 무효화 시, 혼동" names only what "왜" asks of the topic, not
    the topic: "캐시 무효화 하면 왜 문제가 돼?" asks for the note, whose title names the topic
    the section led on by its body. A section whose title names a topic word keeps its place."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "cache.md": "# 캐시 무효화 시, 혼동\n\n배포 후에도 예전 파일이 보인다.\n\n"
            "## 원인\n\nCDN 이 캐시를 오래 들고 있어서 무효화 전까지 예전 파일이 나간다. "
            "캐시 무효화를 하지 않으면 문제가 된다.\n\n"
            "## 해결\n\n파일 이름에 해시를 붙인다.\n\n"
            "## 무효화 비용\n\n요청마다 돈이 든다.\n",
        },
    )
    assert top(index, "캐시 무효화 하면 왜 문제가 돼?") == "캐시 무효화 시, 혼동"
    assert top(index, "캐시 무효화 비용") == "무효화 비용"


def test_an_english_questions_subject_is_what_it_asks_about(tmp_path):
    """ "How does an LSTM keep long-term memory and avoid the vanishing gradient of a plain
    RNN?" asks about the LSTM; the section on the vanishing gradient in the note on plain RNNs
    only led on the words that say what is asked of it. After a modal the subject is who acts
    ("when should a team pick …"), and a first answer titled by the subject keeps its place."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "07 RNN.md": "# 07 RNN\n\n순환 신경망.\n\n## vanishing gradient\n\n"
            "plain RNN 은 긴 시퀀스에서 gradient 가 사라져 long-term 정보를 잃는다. "
            "vanishing gradient 때문에 오래된 정보를 keep 하지 못한다.\n",
            "08 Fancy RNN.md": "# 08 Fancy RNN\n\n발전된 RNN.\n\n## LSTM\n\n"
            "cell state 와 gate 로 정보를 오래 유지한다.\n\n## GRU\n\n게이트가 둘이다.\n",
        },
    )
    question = (
        "How does an LSTM keep long-term memory and avoid the vanishing gradient of a plain RNN?"
    )
    assert top(index, question) == "LSTM"
    assert top(index, "when should a team avoid the vanishing gradient of a plain RNN?") == (
        "vanishing gradient"
    )


def test_a_note_naming_twice_as_much_of_the_question_answers_before_a_one_word_section(tmp_path):
    """ "자바 오토박싱 언박싱 성능" names four words of the note "[Java] 오토 박싱 & 오토 언박싱" and
    one of its section "성능": the note answers, though the section adds a word of its own. A
    section that names as much as the note keeps its place."""
    index = index_of(
        tmp_path,
        {
            **OTHER_NOTES,
            "boxing.md": "# [Java] 오토 박싱 & 오토 언박싱\n\n기본 타입과 래퍼 클래스를 자동으로 바꾼다.\n\n"
            "## 박싱\n\nint 를 Integer 로 감싼다.\n\n## 언박싱\n\nInteger 를 int 로 꺼낸다.\n\n"
            "## 성능\n\n반복문에서 오토 박싱과 언박싱이 일어나면 객체가 많이 생겨 성능이 떨어진다. "
            "자바 에서 성능이 중요하면 기본 타입을 쓴다.\n",
            "perf.md": "# 자바 성능 튜닝\n\nGC 를 본다.\n",
        },
    )
    assert top(index, "java 오토박싱 언박싱 성능") == "[Java] 오토 박싱 & 오토 언박싱"
    assert top(index, "오토 박싱 언박싱 성능") == "[Java] 오토 박싱 & 오토 언박싱"
    assert top(index, "언박싱 성능 문제") == "성능"
