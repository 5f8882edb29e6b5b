"""A question's words found in an entry's own text against a title that shares only some of
them: the entry that has what the question is about answers."""

from __future__ import annotations

from tests.test_within_document import index_of, top

# Other one-tip notes, so common words weigh what they do in a real collection.
UNIX_NOTES = {
    "unix/list-files-by-size.md": "# List Files By Size\n\nUse `ls -S` to sort files by size.\n",
    "unix/find-large-files.md": "# Find Large Files\n\n`find . -size +100M` lists big files.\n",
    "unix/count-lines.md": "# Count Lines In A File\n\n`wc -l file` counts the lines.\n",
    "unix/colorful-ls.md": "# Colorful ls Output\n\n`ls --color=auto` adds color to files.\n",
    "unix/less-search.md": "# Search Inside Less\n\nPress `/` in less to search the file.\n",
    "vim/toggling-syntax-highlighting.md": (
        "# Toggling Syntax Highlighting\n\nRun `:syntax off` to turn highlighting off and "
        "`:syntax on` to turn it back on.\n"
    ),
    "vim/spell-check.md": "# Spell Check In Vim\n\n`:set spell` underlines misspelled words.\n",
    "vim/line-numbers.md": "# Show Line Numbers\n\n`:set number` shows them.\n",
}


def test_a_title_sharing_letters_with_the_question_is_not_the_note_that_lacks_its_subject(
    tmp_path,
):
    """ "bat syntax highlighting" shares "syntaxhighlighting" with the title "Toggling Syntax
    Highlighting", but that note never says bat, the rarest word asked; the bat note says all
    three."""
    index = index_of(
        tmp_path,
        {
            **UNIX_NOTES,
            "unix/cat-files-with-color-using-bat.md": (
                "# Cat Files With Color Using Bat\n\n"
                "`bat` is cat with syntax highlighting and line numbers. Install it with "
                "`brew install bat`.\n"
            ),
        },
    )
    assert top(index, "bat syntax highlighting") == "Cat Files With Color Using Bat"
    # A title typed with a slip, or with a word of phrasing added, still reads as that title.
    assert top(index, "toggling syntax higlighting") == "Toggling Syntax Highlighting"
    assert top(index, "syntax highlighting") == "Toggling Syntax Highlighting"


KEY_NOTES = {
    "db/index.md": "# 인덱스\n\nB-Tree 인덱스로 조회를 빠르게 한다.\n",
    "db/transaction.md": "# 트랜잭션\n\n격리 수준과 락을 정리. auto commit 은 끈다.\n",
    "db/vacuum.md": "# Vacuum\n\nauto vacuum 이 죽은 행을 치운다.\n",
    "db/normalize.md": "# 정규화\n\n중복을 줄이는 설계.\n",
    "web/cache.md": "# 캐시 전략\n\n캐시 적중률을 높이는 방법.\n",
    "web/session.md": "# 세션\n\n쿠키에 세션 아이디를 담는다.\n",
}


def test_a_subsection_naming_one_word_does_not_replace_its_section_that_says_them_all(tmp_path):
    """Under "Primary Key 생성 전략", whose text weighs auto increment against a unique string,
    the subsection "유니크 문자열 or 숫자" names 유니크 but never says auto: "전략 auto 유니크"
    asks for the section that has all three."""
    index = index_of(
        tmp_path,
        {
            **KEY_NOTES,
            "db/article-api.md": (
                "# Article API\n\n게시글 API 설계.\n\n"
                "## Primary Key 생성 전략\n\n"
                "DB가 auto 로 올려 주는 번호를 쓸지, 애플리케이션이 유니크 값을 만들지 "
                "정한다.\n\n"
                "### 유니크 문자열 or 숫자\n\n"
                "UUID 같은 문자열은 정렬이 안 되고, 숫자는 Snowflake로 만든다.\n\n"
                "### 게시글 목록 조회\n\n페이지 번호 방식과 무한 스크롤 방식.\n"
            ),
        },
    )
    assert top(index, "전략 auto 유니크") == "Primary Key 생성 전략"
    # What only the subsection says is still its own.
    assert top(index, "유니크 문자열 Snowflake") == "유니크 문자열 or 숫자"


SERVER_NOTES = {
    "ci/tools.md": "# Tools\n\nJenkins, GitHub Actions 같은 CI 도구를 비교한다.\n",
    "ci/jenkins.md": "# Jenkins\n\n파이프라인을 Jenkinsfile 로 쓴다.\n",
    "linux/yum.md": "# yum\n\n패키지를 설치하고 지운다. epel-release 저장소도 쓴다.\n",
    "linux/user.md": "# 사용자 추가\n\nuseradd 로 사용자를 만든다.\n",
    "linux/firewall.md": "# 방화벽\n\nfirewall-cmd 로 포트를 연다.\n",
    "linux/cron.md": "# cron\n\ncrontab -e 로 작업을 등록한다.\n",
}


# Short notes on other subjects: a word is rare only among enough notes (`Tuning.rare_share`).
SUBJECTS = (
    "파이썬",
    "자바",
    "리눅스",
    "네트워크",
    "운영체제",
    "알고리즘",
    "정렬",
    "그래프",
    "해시",
    "스택",
)
MANY_NOTES = {
    f"misc/{subject}-{n}.md": f"# {subject} 메모 {n}\n\n{subject} 공부 {n}일차 정리.\n"
    for subject in SUBJECTS
    for n in range(20)
}


def test_a_word_only_a_handful_of_texts_say_outweighs_a_title_naming_a_commoner_word(tmp_path):
    """ "epel-release tools": epel-release is in no title and in the text of two entries, one
    of which also says tools; the note titled "Tools" never says epel-release."""
    index = index_of(
        tmp_path,
        {
            **SERVER_NOTES,
            **MANY_NOTES,
            "linux/ansible.md": (
                "# Ansible\n\n서버 설정 자동화 도구.\n\n"
                "## 방법 1. 서버에 접속해서 설치\n\n"
                "yum install epel-release 로 저장소를 추가한 뒤 yum install ansible. "
                "다른 tools 는 필요 없다.\n\n"
                "## 방법 2. pip 로 설치\n\npip install ansible.\n"
            ),
        },
    )
    assert top(index, "epel-release tools") == "방법 1. 서버에 접속해서 설치"
    # A title that names the word is still its answer.
    assert top(index, "tools") == "Tools"
