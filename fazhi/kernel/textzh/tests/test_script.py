from fazhi.kernel.textzh.script import html_to_traditional, to_traditional


def test_characters_change_and_mainland_words_stay():
    assert to_traditional("政府信息公开条例") == "政府信息公開條例"
    assert to_traditional("规范性文件 软件") == "規範性文件 軟件"
    assert to_traditional("ID 12345, abc") == "ID 12345, abc"
    assert to_traditional("𠀀黄石") == "𠀀黃石"  # outside the BMP passes through


def test_form_values_are_not_rewritten():
    html = (
        '<p title="办理说明">办理说明</p>'
        '<input name="q" value="化工厂"><input value=\'发展\'>'
        '<textarea name="note">请补充现场照片</textarea>'
        "<script>alert('已保存')</script>"
    )
    out = html_to_traditional(html)
    assert '<p title="辦理說明">辦理說明</p>' in out
    assert 'value="化工厂"' in out and "value='发展'" in out
    assert '<textarea name="note">请补充现场照片</textarea>' in out
    assert "alert('已保存')" in out


def test_traditional_uses_common_variants_and_keeps_and_as_and():
    from fazhi.kernel.textzh.script import to_traditional

    assert to_traditional("为公众审核") == "為公眾審核"
    assert to_traditional("提交并公布") == "提交並公佈"
    assert to_traditional("合并重复件") == "合併重複件"  # 合并 is 合併
