// Catalogue lookup, placeholder substitution, terms and the language choice; see message.h.
#include "compiler/diagnostics/message.h"

#include <cstdlib>

namespace pol {

namespace {

struct MsgInfo {
  const char* name;
  const char* en;
  const char* zh;
};

constexpr MsgInfo kMsgs[] = {
    {"None", "", ""},
#define POL_MSG(ID, EN, ZH) {#ID, EN, ZH},
#include "compiler/diagnostics/messages.def"
#undef POL_MSG
};

// Each section's table starts with its SectionStart entry (index 0 = the base id, never used), so
// that table[id - base] is the message, as in the section's enum (messages_*.h).
constexpr MsgInfo kCheckMsgs[] = {
    {"SectionStart", "", ""},
#define POL_MSG(ID, EN, ZH) {#ID, EN, ZH},
#include "compiler/diagnostics/messages_check.def"
#undef POL_MSG
};
constexpr MsgInfo kDriverMsgs[] = {
    {"SectionStart", "", ""},
#define POL_MSG(ID, EN, ZH) {#ID, EN, ZH},
#include "compiler/diagnostics/messages_driver.def"
#undef POL_MSG
};
constexpr MsgInfo kInputMsgs[] = {
    {"SectionStart", "", ""},
#define POL_MSG(ID, EN, ZH) {#ID, EN, ZH},
#include "compiler/diagnostics/messages_input.def"
#undef POL_MSG
};
constexpr MsgInfo kCliMsgs[] = {
    {"SectionStart", "", ""},
#define POL_MSG(ID, EN, ZH) {#ID, EN, ZH},
#include "compiler/diagnostics/messages_cli.def"
#undef POL_MSG
};

struct Section {
  uint16_t base;
  const MsgInfo* table;
  size_t size;
};
constexpr Section kSections[] = {
    {0, kMsgs, std::size(kMsgs)},
    {kCheckMsgBase, kCheckMsgs, std::size(kCheckMsgs)},
    {kDriverMsgBase, kDriverMsgs, std::size(kDriverMsgs)},
    {kInputMsgBase, kInputMsgs, std::size(kInputMsgs)},
    {kCliMsgBase, kCliMsgs, std::size(kCliMsgs)},
};

const MsgInfo& info(MsgId id) {
  const auto i = static_cast<size_t>(id);
  for (const Section& s : kSections)
    if (i >= s.base && i - s.base < s.size) return i == s.base ? kMsgs[0] : s.table[i - s.base];
  return kMsgs[0];
}

// English term -> Chinese: the type names authors see, operator verbs and the phrases checkers pass
// as `what` in "{what} must be ...".
struct Term {
  const char* en;
  const char* zh;
};
constexpr Term kTerms[] = {
    {"money", "金额"}, {"rate", "比例"}, {"int", "整数"}, {"decimal", "小数"}, {"bool", "是否"},
    {"text", "文本"}, {"date", "日期"}, {"month", "年月"}, {"duration", "期限"}, {"number", "数字"},
    {"enum", "枚举"}, {"error", "错误"},
    {"add", "相加"}, {"subtract", "相减"}, {"multiply", "相乘"}, {"divide", "相除"}, {"combine", "合并"},
    {"a condition", "条件"}, {"a tier's condition", "档次的条件"}, {"the amount", "金额"}, {"the cap", "上限"},
    {"a budget", "预算"}, {"a combined limit", "合并上限"}, {"a group limit", "组上限"}, {"a threshold", "门槛"},
    {"each side of `or`", "`or` 的两边"}, {"each side of `and`", "`and` 的两边"},
    {"the operand of `not`", "`not` 的操作数"}, {"when a cap may be relaxed", "放宽上限的条件"},
    {"clause", "条款"}, {"enum", "枚举"}, {"field", "字段"}, {"parameter", "参数"}, {"rule", "规则"},
    {"unit", "单位"}, {"a key", "键"}, {"a ranking", "排序依据"}, {"a scope", "范围"},
};

}  // namespace

std::vector<MsgId> all_msg_ids() {
  std::vector<MsgId> ids;
  for (const Section& s : kSections)
    for (size_t i = 1; i < s.size; ++i) ids.push_back(static_cast<MsgId>(s.base + i));
  return ids;
}

const char* msg_name(MsgId id) { return info(id).name; }
const char* msg_template(MsgId id, Lang lang) { return lang == Lang::Zh ? info(id).zh : info(id).en; }

std::string term_in(std::string_view english, Lang lang) {
  if (lang == Lang::En) return std::string(english);
  for (const Term& t : kTerms)
    if (english == t.en) return t.zh;
  return std::string(english);
}

MsgArg nested(std::string name, Msg inner) {
  MsgArg a{std::move(name), "", false, {}};
  a.inner.push_back(std::move(inner));
  return a;
}

std::string render_msg(const Msg& m, Lang lang) {
  const std::string_view text = msg_template(m.id, lang);
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        const std::string_view name = text.substr(i + 1, close - i - 1);
        const MsgArg* arg = nullptr;
        for (const MsgArg& a : m.args)
          if (a.name == name) arg = &a;
        if (arg) {
          out += !arg->inner.empty() ? render_msg(arg->inner.front(), lang)
                 : arg->term        ? term_in(arg->value, lang)
                                    : arg->value;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::optional<Lang> parse_lang(std::string_view s) {
  if (s.size() >= 2 && (s[0] == 'z' || s[0] == 'Z') && (s[1] == 'h' || s[1] == 'H')) return Lang::Zh;
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E') && (s[1] == 'n' || s[1] == 'N')) return Lang::En;
  if (s == "C" || s == "POSIX" || s.substr(0, 2) == "C.") return Lang::En;
  return std::nullopt;
}

Lang lang_from_environment() {
  if (const char* v = std::getenv("POL_LANG"); v && *v)
    if (auto l = parse_lang(v)) return *l;
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(name);
    if (v && *v) return parse_lang(v).value_or(Lang::En);
  }
  return Lang::En;
}

}  // namespace pol
