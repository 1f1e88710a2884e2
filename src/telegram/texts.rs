//! The bot's own words, in the three languages.

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    Welcome,
    SlowDown,
    NotText,
    AskWhat,
    AdminsOnly,
    LangUsage,
    LangSet,
    LangAuto,
    TopicsIntro,
    Expired,
}

pub fn text(key: Phrase, lang: Lang) -> &'static str {
    use Lang::*;
    use Phrase::*;
    match (key, lang) {
        (Welcome, En) => "Hello! I answer questions about Hong Kong's innovation, technology and industry with sourced figures. Try:\n• How many projects has the ITF funded?\n• 數碼港有幾多間公司?\n• 智方便有多少用户?\n/topics lists what I know; /help explains more.",
        (Welcome, ZhHans) => "你好！我用有出处的数据回答香港创新、科技及工业的问题。试试：\n• 创新及科技基金批出了多少个项目？\n• 数码港有多少家公司？\n• 智方便有多少用户？\n/topics 列出全部主题；/help 查看说明。",
        (Welcome, ZhHant) => "你好！我用有出處嘅數據答你香港創新、科技及工業嘅問題。試下：\n• 創科基金批咗幾多個項目？\n• 數碼港有幾多間公司？\n• 智方便有幾多用戶？\n/topics 列出全部主題；/help 睇說明。",
        (SlowDown, En) => "You're asking faster than I can keep up with. Please wait a minute and ask again.",
        (SlowDown, ZhHans) => "提问太频繁了，请稍等一分钟再问。",
        (SlowDown, ZhHant) => "問得太密喇，請等一分鐘再問。",
        (NotText, En) => "I can only read text. Please type your question.",
        (NotText, ZhHans) => "我只能读取文字，请输入你的问题。",
        (NotText, ZhHant) => "我淨係睇得明文字，請打字問。",
        (AskWhat, En) => "Ask me a question after /ask, for example: /ask How big is Science Park?",
        (AskWhat, ZhHans) => "请在 /ask 后面输入问题，例如：/ask 科学园占地多少？",
        (AskWhat, ZhHant) => "請喺 /ask 後面打問題，例如：/ask 科學園有幾大？",
        (AdminsOnly, En) => "Only the group's admins can change this setting.",
        (AdminsOnly, ZhHans) => "只有群组管理员可以更改这个设定。",
        (AdminsOnly, ZhHant) => "只有群組管理員可以更改呢個設定。",
        (LangUsage, En) => "Usage: /lang en, /lang zh-Hant, /lang zh-Hans, or /lang auto to reply in each question's language.",
        (LangUsage, ZhHans) => "用法：/lang en、/lang zh-Hant、/lang zh-Hans，或 /lang auto 按提问的语言回答。",
        (LangUsage, ZhHant) => "用法：/lang en、/lang zh-Hant、/lang zh-Hans，或者 /lang auto 跟返問題嘅語言回答。",
        (LangSet, En) => "From now on I will reply in English in this chat.",
        (LangSet, ZhHans) => "此后我会在这个聊天中用简体中文回答。",
        (LangSet, ZhHant) => "之後我會喺呢個對話用繁體中文回答。",
        (LangAuto, En) => "I will reply in the language of each question.",
        (LangAuto, ZhHans) => "我会按每个问题的语言回答。",
        (LangAuto, ZhHant) => "我會跟每條問題嘅語言回答。",
        (TopicsIntro, En) => "Topics I know about. Choose one:",
        (TopicsIntro, ZhHans) => "我掌握的主题，请选择：",
        (TopicsIntro, ZhHant) => "我識嘅主題，請揀：",
        (Expired, En) => "That button is no longer valid. Send /topics to start again.",
        (Expired, ZhHans) => "这个按钮已失效，请发送 /topics 重新开始。",
        (Expired, ZhHant) => "呢個掣已經失效，請再發 /topics。",
    }
}
