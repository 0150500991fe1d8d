// Catalogue messages (messages.def): a diagnostic text kept as an id plus named arguments, rendered
// in English or Chinese only when shown, and the choice of language (--lang, POL_LANG, the locale).
// Arguments marked as terms (type names such as `money`, operator verbs, "a condition") are
// translated at render time, so checkers stay language-free. Values are owned strings; no global state.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pol {

enum class Lang : uint8_t { En, Zh };

enum class MsgId : uint16_t {
  None,  // no catalogue message: the pre-rendered English text is shown in every language
#define POL_MSG(ID, EN, ZH) ID,
#include "compiler/diagnostics/messages.def"
#undef POL_MSG
};

// The catalogue has sections, each its own .def file and enum, so that adding a message rebuilds
// only the code that uses its section: messages.def (this enum, ids from 1), messages_check.def
// (CheckMsg, from 1000), messages_driver.def (DriverMsg, 2000), messages_input.def (InputMsg, 3000)
// and messages_cli.def (CliMsg, 4000). A section's enum converts to MsgId with msg(...) below.
inline constexpr uint16_t kCheckMsgBase = 1000, kDriverMsgBase = 2000, kInputMsgBase = 3000,
                          kCliMsgBase = 4000, kMsgSectionSize = 1000;

struct Msg;

struct MsgArg {
  std::string name;
  std::string value;
  bool term = false;  // translate the value with term_in() (type names, verbs, phrases)
  std::vector<Msg> inner = {};  // one catalogue message shown in this place instead of `value` (see nested())
};

struct Msg {
  MsgId id = MsgId::None;
  std::vector<MsgArg> args;
};

// msg(MsgId::UnknownName, {{"name", text}}) ; a term: {"type", "money", true} or term("type", ...).
inline Msg msg(MsgId id, std::initializer_list<MsgArg> args = {}) { return Msg{id, args}; }
// msg(CheckMsg::X, {...}) for the other sections: any enum whose values are MsgId values.
template <typename SectionMsg, typename = std::enable_if_t<std::is_enum_v<SectionMsg>>>
inline Msg msg(SectionMsg id, std::initializer_list<MsgArg> args = {}) {
  return Msg{static_cast<MsgId>(static_cast<uint16_t>(id)), args};
}
inline MsgArg term(std::string name, std::string value) { return MsgArg{std::move(name), std::move(value), true}; }
// A message inside a message, rendered in the same language: "`{path}` is not usable: {why}".
MsgArg nested(std::string name, Msg inner);

// Every message of every section, in catalogue order (for the completeness test).
std::vector<MsgId> all_msg_ids();
const char* msg_name(MsgId);                // "UnknownName"
const char* msg_template(MsgId, Lang);      // the raw catalogue text with {placeholders}
std::string render_msg(const Msg&, Lang);   // placeholders filled; unknown ones left as written
// The text of a message of any section in `lang`: say(lang, CliMsg::CannotWrite, {{"file", path}}).
template <typename Id>
std::string say(Lang lang, Id id, std::initializer_list<MsgArg> args = {}) {
  return render_msg(msg(id, args), lang);
}
// A type name or fixed phrase in `lang`: "money" -> "金额" under Zh; anything not in the table
// (an enum's own name, user text) is returned unchanged.
std::string term_in(std::string_view english, Lang);

// "zh", "zh_CN.UTF-8", "zh-TW" -> Zh; "en", "C", "POSIX", "en_US.UTF-8" -> En; else nullopt.
std::optional<Lang> parse_lang(std::string_view);
// POL_LANG, else the first set of LC_ALL, LC_MESSAGES, LANG (zh* -> Chinese), else English.
Lang lang_from_environment();

}  // namespace pol
