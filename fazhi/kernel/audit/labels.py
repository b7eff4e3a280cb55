"""What an audit action means, in words a civil servant reads.

Kernel actions are listed here; a case transition (`case.<name>`) is labelled
by its case type's workflow, which the caller resolves (see
fazhi.web.timeline). Unknown actions show their code, never an error.
"""

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

ACTION_LABELS: dict[str, str] = {
    "auth.login": _("登录"),
    "auth.logout": _("退出登录"),
    "auth.login_failed": _("登录失败"),
    "account.unlock": _("解除登录锁定"),
    "user.create": _("创建账号"),
    "agency.create": _("新增机构"),
    "membership.grant": _("授予角色"),
    "membership.revoke": _("撤销角色"),
    "responsibility.create": _("新增权责事项"),
    "responsibility.revise": _("修订权责事项"),
    "case.open": _("创建案件"),
    "case.view_personal": _("查看个人信息"),
    "case.supervise": _("督办"),
    "case.assign": _("分派"),
    "case.comment": _("备注"),
    "case.retitle": _("修改事由"),
    "clock.start": _("期限起算"),
    "clock.pause": _("期限暂停"),
    "clock.resume": _("期限恢复"),
    "clock.extend": _("期限延长"),
    "clock.stop": _("期限停止"),
    "clock.recompute": _("期限重算"),
    "calendar.load": _("载入年度日历"),
    "calendar.seed": _("初始化日历"),
    "period_rule.override": _("设置本地期限"),
    "period_rule.clear": _("恢复法定期限"),
    "notice.send": _("发送通知"),
    "notice.delivered": _("通知送达"),
    "notice.read": _("阅读通知"),
    "notice.requeue": _("重发通知"),
    "indicator.report": _("填报指标"),
    "indicator.compute": _("计算指标"),
    "indicator.sync": _("同步指标"),
    "indicator.deactivate": _("停用指标"),
    "indicator.define": _("定义指标"),
    "export": _("导出数据"),
    "data.export": _("导出数据"),
    "personal_data.view": _("查看个人信息"),
    "audit.verify": _("校验全过程记录"),
    "disclosure.apply": _("提交政府信息公开申请"),
    "disclosure.duplicate": _("认定重复申请"),
    "disclosure.attach": _("上传附件"),
    "disclosure.correction_respond": _("申请人提交补正"),
    "disclosure.deliver": _("送达答复"),
    "disclosure.followup": _("登记复议或诉讼"),
    "disclosure.followup_settle": _("登记复议或诉讼结果"),
    "disclosure.letter": _("生成答复书"),
    "disclosure.reply_file": _("申请人下载答复附件"),
    "disclosure.catalogue_create": _("新增主动公开目录类别"),
    "disclosure.catalogue_review": _("审核主动公开目录"),
    "disclosure.figures": _("填报主动公开统计数据"),
    "hotline.submit": _("受理12345诉求"),
    "hotline.route": _("派单（主办/协办）"),
    "hotline.merge_in": _("合并重复工单"),
    "hotline.assist": _("提交协办意见"),
    "hotline.extension_request": _("申请延期"),
    "hotline.extension_refuse": _("不予延期"),
    "hotline.rate": _("好差评"),
    "hotline.apikey_create": _("创建接口密钥"),
    "hotline.apikey_revoke": _("停用接口密钥"),
    "laws.import": _("导入法规"),
    "normative.register": _("记录草案文本和备案审查机关"),
    "normative.revise": _("修改规范性文件草案"),
    "normative.publish": _("公布规范性文件并发布到法规查询平台"),
    "normative.supplement": _("补充报送备案材料"),
    "normative.repeal": _("废止规范性文件"),
    "normative.expire": _("规范性文件有效期届满失效"),
    "normative.expiry_warn": _("提醒规范性文件有效期即将届满"),
    "normative.evaluate": _("记录规范性文件后评估"),
    "normative.cleanup_create": _("启动规范性文件清理"),
    "normative.cleanup_decide": _("提出清理意见"),
    "normative.cleanup_close": _("完成规范性文件清理"),
    "plan.import": _("导入实施方案"),
    "plan.withdraw": _("撤回实施方案"),
    "plan.node_reword": _("修改方案条目"),
    "plan.node_split": _("拆分方案条目"),
    "plan.node_merge": _("合并方案条目"),
    "plan.target_update": _("修正目标"),
    "plan.target_link": _("设置目标数据来源"),
    "plan.assign": _("分配责任单位"),
    "plan.unassign": _("取消责任单位"),
    "plan.supervision_issue": _("发出督办通知"),
    "plan.campaign_create": _("建立法治督察"),
    "plan.visit_record": _("记录督察情况"),
    "plan.finding_add": _("登记督察发现问题"),
    "plan.report_texts": _("保存年度报告文字"),
    "plan.report_generate": _("生成年度报告"),
    "plan.report_submit": _("年度报告定稿报送"),
    "plan.report_publish": _("公开年度报告"),
}

RECORD_LABELS: dict[str, str] = {
    "case": _("案件"),
    "clock": _("计时器"),
    "user": _("账号"),
    "agency": _("机构"),
    "responsibility": _("权责事项"),
    "calendar": _("日历"),
    "export": _("导出"),
    "notice": _("通知"),
    "indicator": _("指标"),
    "auth": _("登录"),
    "catalogue": _("主动公开目录"),
    "apiclient": _("接口客户端"),
    "laws": _("法规库"),
    "cleanup": _("规范性文件清理"),
    "plan": _("实施方案"),
    "plan_node": _("方案条目"),
    "plan_target": _("方案目标"),
    "plan_campaign": _("法治督察"),
    "plan_report": _("法治政府建设年度报告"),
    "indicator_value": _("指标值"),
}


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Name an app's own audit actions (not transitions) at start-up, as
    gettext_noop strings; an action the kernel already names keeps its name."""
    for action, label in labels.items():
        ACTION_LABELS.setdefault(action, label)


def action_label(action: str) -> str:
    """The label of a kernel action, or the code itself when none is known."""
    label = ACTION_LABELS.get(action)
    return gettext(label) if label else action


def record_label(record_type: str) -> str:
    label = RECORD_LABELS.get(record_type)
    return gettext(label) if label else record_type
