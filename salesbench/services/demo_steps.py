"""The next steps a rep agrees with a customer, by the deal's playbook, the rep's
language and the stage the deal is at: a showroom visitor hears of the new collection,
a signed project meets its project manager, never the other way round. None repeats a
task the playbook itself gives, so a deal's follow-ups never list its own steps twice."""

from __future__ import annotations

NEXT_STEPS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("retail-5", "en"): {
        "first_contact": (
            "Send photos of the pieces they liked",
            "Tell them when the new collection arrives",
            "Send the price list of the range they liked",
        ),
        "build_trust": (
            "Send reviews from customers nearby",
            "Invite them to the weekend design talk",
            "Send care tips for the materials they liked",
        ),
        "confirm_needs": (
            "Ask them to send photos of the room",
            "Ask which colours the rest of the room has",
            "Ask which pieces they keep from the old home",
        ),
        "recommend": (
            "Send the layout drawing with the chosen pieces",
            "Bring fabric samples to the next visit",
            "Hold the display piece for them until Saturday",
        ),
        "negotiation": (
            "Remind them the promotion ends on Sunday",
            "Send the delivery and assembly options",
            "Call back after they talk it over at home",
        ),
    },
    ("retail-5", "zh-CN"): {
        "first_contact": ("发送客户看中款式的照片", "告知新品到店时间", "发送该系列价目表"),
        "build_trust": ("发送附近老客户的评价", "邀请参加周末设计讲座", "发送所选材质的保养说明"),
        "confirm_needs": ("请客户发房间照片", "了解房间其他家具的颜色", "了解旧家具哪些要保留"),
        "recommend": ("发送搭配方案效果图", "下次到店带面料小样", "展品为客户保留到周六"),
        "negotiation": ("提醒活动本周日截止", "发送送货和安装方案", "客户回家商量后回电"),
    },
    ("b2b-lifecycle", "en"): {
        "lead_development": (
            "Send the company introduction",
            "Call the purchasing office",
            "Send samples of the office range",
        ),
        "lead_screening": (
            "Ask about their yearly volume",
            "Send the price list for their volume",
            "Ask who else bids for the order",
        ),
        "needs_research": (
            "Visit the site and list the current problems",
            "Measure the meeting rooms",
            "Collect the office floor plans",
        ),
        "solution": (
            "Send the revised layout proposal",
            "Arrange a showroom visit for their team",
            "Send the material samples they asked for",
        ),
        "negotiation": (
            "Send the revised quotation",
            "Agree the payment terms",
            "Propose the delivery in two batches",
        ),
        "contract": (
            "Confirm the delivery address and contact",
            "Send the invoice details form",
            "Confirm who signs and stamps the contract",
        ),
        "order_execution": (
            "Confirm the delivery window",
            "Book the installation team",
            "Tell them when the truck arrives",
        ),
        "account_maintenance": (
            "Hold the quarterly account review",
            "Send the new catalogue",
            "Offer the restock discount",
        ),
    },
    ("b2b-lifecycle", "zh-CN"): {
        "lead_development": ("发送公司介绍", "致电采购部", "寄送办公系列样品"),
        "lead_screening": ("了解年采购量", "发送对应量级的价目表", "了解还有谁在参与报价"),
        "needs_research": ("上门调研现有问题", "测量会议室尺寸", "收集办公区平面图"),
        "solution": ("发送修改后的布局方案", "安排对方团队参观展厅", "寄送对方要的材料样品"),
        "negotiation": ("发送修改后的报价", "商定付款条件", "提出分两批交货"),
        "contract": ("确认收货地址和联系人", "发送开票信息表", "确认签约人和盖章流程"),
        "order_execution": ("确认送货时间窗口", "预约安装团队", "告知送货车到达时间"),
        "account_maintenance": ("季度客户回顾", "发送新品目录", "提供补货折扣"),
    },
    ("solution-selling", "en"): {
        "develop_opportunity": (
            "Book the first meeting with the sponsor",
            "Send a reference case from their industry",
            "Ask for an introduction to the decision maker",
        ),
        "guide_needs": (
            "Send the summary of their pain points",
            "Run a workshop on the target process",
            "Send the letter confirming the shared vision",
        ),
        "set_criteria": (
            "Arrange a visit to a reference customer",
            "Book the review of the solution draft with IT",
            "Send the questions for the requirements workshop",
        ),
        "present_value": (
            "Present the return on investment to the decision maker",
            "Run the demo for the key users",
            "Send the final commercial offer",
        ),
        "realize_sale": (
            "Introduce the project manager",
            "Agree the kickoff date",
            "Send the invoice for the first payment",
        ),
    },
    ("solution-selling", "zh-CN"): {
        "develop_opportunity": ("约发起人第一次见面", "发送同行业成功案例", "请对方引荐决策人"),
        "guide_needs": ("发送痛点梳理纪要", "组织目标流程研讨会", "发函确认共同愿景"),
        "set_criteria": ("安排参观标杆客户", "约 IT 评审方案初稿", "发送需求研讨会的问题清单"),
        "present_value": ("向决策人呈现投资回报", "给关键用户做演示", "发送最终商务报价"),
        "realize_sale": ("介绍项目经理", "确定启动会日期", "开具首期款发票"),
    },
}
