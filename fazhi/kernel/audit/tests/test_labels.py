from fazhi.kernel.audit.labels import (
    ACTION_LABELS,
    action_label,
    register_action_labels,
)


def test_an_app_names_its_actions_and_cannot_rename_the_kernels():
    register_action_labels({"demo.step": "演示步骤", "case.open": "另一个名字"})
    try:
        assert action_label("demo.step") == "演示步骤"
        assert action_label("case.open") == "创建案件"
        assert action_label("nobody.knows") == "nobody.knows"
        # The laws app names its review-period step at start-up.
        assert action_label("normative.review_period") == "确定审核期限"
    finally:
        ACTION_LABELS.pop("demo.step", None)
