#include "runtime/explain/csv_cell.h"
#include "runtime/explain/explain.h"
#include "runtime/explain/show_text.h"
#include "compiler/diagnostics/source.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include <map>

#include "compiler/diagnostics/messages_input.h"
#include "compiler/diagnostics/suggest.h"
#include "runtime/interp/interpreter.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol {
namespace {

// Formats into a stack buffer, then appends once: formatting straight into a std::string
// resizes (and zero-fills) it for every argument.
template <typename S, typename... Args>
void append_fmt(std::string& out, const S& format, Args&&... args) {
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), format, std::forward<Args>(args)...);
  out.append(buf.data(), buf.size());
}

}  // namespace

namespace {

// True when one of the 8 bytes may need escaping (a control byte, '"' or '\\'). Bytes of
// multi-byte UTF-8 characters never match, so Chinese text is copied 8 bytes at a time.
inline bool may_need_escape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  uint64_t control = (w - 0x20 * kOnes) & ~w & kHigh;
  uint64_t q = w ^ (0x22 * kOnes), b = w ^ (0x5C * kOnes);
  return (control | ((q - kOnes) & ~q & kHigh) | ((b - kOnes) & ~b & kHigh)) != 0;
}

}  // namespace

static void json_escape_valid(std::string_view s, std::string& out);

// Every output line is valid UTF-8: a text that is not (an id from a GBK sheet) is written with
// U+FFFD in place of each bad byte.
void json_escape(std::string_view s, std::string& out) {
  std::string scratch;
  json_escape_valid(valid_utf8(s, scratch), out);
}

static void json_escape_valid(std::string_view s, std::string& out) {
  const char* p = s.data();
  size_t n = s.size(), from = 0, i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!may_need_escape(w)) {
        i += 8;
        continue;
      }
    }
    size_t end = std::min(n, i + 8);
    for (; i < end; ++i) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out.append(p + from, i - from);
      from = i + 1;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
          static const char* kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
    }
  }
  out.append(p + from, n - from);
}

std::string clause_title(const Policy& p, int clause) {
  if (clause < 0 || clause >= static_cast<int>(p.clauses.size())) return "";
  return cite_clause(p.clauses[clause].number);
}

Explainer::Explainer(Batch& b) : b_(b) {
  // What each slot is called in each item, and the presence slot of each optional field —
  // looked up once, not per decision.
  {
    const Policy& pol = *b.policy;
    size_t frame = b.frame.size();
    slot_labels_ = slot_label_table(pol, frame);
    present_slot_of_.assign(frame, -1);
    for (const auto& f : pol.fields)
      if (f.present_slot >= 0 && static_cast<size_t>(f.slot) < frame) present_slot_of_[f.slot] = f.present_slot;
    month_slot_.assign(frame, false);
    for (const auto& f : pol.fields)
      if (f.year_month && static_cast<size_t>(f.slot) < frame) month_slot_[f.slot] = true;
  }
  // Labels and names of the policy are escaped once here rather than in every decision.
  const Policy& p = *b.policy;
  auto plain = [&](const std::string& t) {
    if (t.find_first_of("\"\\") != std::string::npos) policy_plain_ = false;
    for (unsigned char c : t)
      if (c < 0x20) policy_plain_ = false;
  };
  for (const auto& f : p.fields) plain(f.label);
  for (const auto& pr : p.params) plain(pr.label);
  for (const auto& it : p.items) {
    plain(it.title);
    plain(it.discretion);
    plain(it.relax_reason);
    for (const auto& in : it.inputs) plain(in.label);
    for (const auto& c : it.conditions) {
      plain(c.name);
      plain(c.reason);
    }
    for (const auto& l : it.lets) plain(l.name);
  }
  for (const auto& ip : b.program->items) {
    for (const auto& t : ip.amount_tiers) plain(t.label);
    for (const auto& t : ip.cap_tiers) plain(t.label);
  }
  for (const auto& v : p.versions) {
    plain(v.name);
    plain(v.title);
  }
  for (const auto& r : p.rules) {
    plain(r.name);
    plain(r.label);
    for (const auto& l : r.version_labels) plain(l);
  }
  for (const auto& e : p.enums)
    for (const auto& l : e.member_labels) plain(l);
  for (const auto& c : p.clauses) plain(c.number);
  // A programme's clause as worded by a revision is cited with that revision's title: the reader
  // finds 第二条 of the 2026 text, not of the 2025 one.
  clause_doc_.assign(p.clauses.size(), std::string());
  for (size_t c = 0; c < p.clauses.size(); ++c) {
    int v = p.clauses[c].version;
    for (; v > 0; --v) {
      const auto& am = p.versions[v].amended_clauses;
      if (std::find(am.begin(), am.end(), p.clauses[c].number) != am.end()) break;
    }
    if (v > 0) {
      const VersionInfo& doc = p.versions[v];
      clause_doc_[c] = !doc.short_title.empty() ? doc.short_title : !doc.title.empty() ? doc.title : doc.name;
      plain(clause_doc_[c]);
    }
  }
  format_date(b.policy->validity.from, validity_from_);
  format_date(b.policy->validity.to, validity_to_);
}

Step& Explainer::next(const char* kind, int clause) {
  if (n_ > 0) steps_[n_ - 1].plain = policy_plain_ && !user_text_;
  user_text_ = false;
  if (n_ == steps_.size()) steps_.emplace_back();
  Step& s = steps_[n_++];
  s.kind = kind;
  s.clause = clause >= 0 ? b_.policy->clauses[clause].number : "";
  s.document = clause >= 0 ? clause_doc_[clause] : "";
  s.clause_index = clause;
  s.rule.clear();
  s.passed = -1;
  s.bound = false;
  s.text.clear();
  s.nnumbers = 0;
  return s;
}

void Explainer::number(Step& s, const char* key, std::string_view value) {
  if (s.nnumbers == s.numbers.size()) s.numbers.emplace_back();
  auto& n = s.numbers[s.nnumbers++];
  n.first = key;
  n.second.assign(value.data(), value.size());
}

void Explainer::number_money(Step& s, const char* key, int64_t fen) {
  if (s.nnumbers == s.numbers.size()) s.numbers.emplace_back();
  auto& n = s.numbers[s.nnumbers++];
  n.first = key;
  n.second.clear();
  format_money_plain(fen, n.second);
}

std::string_view Explainer::money(int64_t fen) {
  std::string& buf = scratch_[next_scratch_++ % kScratch];
  buf.clear();
  format_money(fen, buf);
  return buf;
}

void Explainer::append_value(std::string& out, Type t, int64_t v) {
  const Policy& p = *b_.policy;
  switch (t.ty) {
    case Ty::Money: format_money(v, out); return;
    case Ty::Rate: format_rate(v, out); return;
    case Ty::Decimal: format_decimal(v, out); return;
    case Ty::Bool: out += v ? "是" : "否"; return;
    case Ty::Text:
      user_text_ = true;
      if (v < 0 || v >= static_cast<int64_t>(b_.texts.size())) return;
      if (json_mode_) json_escape(b_.texts[v], out);
      else out.append(b_.texts[v]);
      return;
    case Ty::Date: format_date(static_cast<int32_t>(v), out); return;
    case Ty::Duration: format_duration_zh(ir::unpack_duration(v), out); return;
    case Ty::Enum: {
      const auto& en = p.enums[t.enum_id];
      if (v < 0 || v >= static_cast<int64_t>(en.members.size())) out += "?";
      else out += en.member_labels[v].empty() ? en.members[v] : en.member_labels[v];
      return;
    }
    default: append_fmt(out, "{}", v); return;
  }
}

std::string Explainer::other_policy(const std::string& name) const {
  if (const RunPolicies* run = b_.run)
    for (size_t k = 0; k < run->names.size() && k < run->titles.size(); ++k)
      if (run->names[k] == name && !run->titles[k].empty()) {
        std::string out = "《";
        if (json_mode_) json_escape(run->titles[k], out);
        else out += run->titles[k];
        return out + "》";
      }
  return "《" + name + "》";  // a name in Pol: nothing to escape
}

const std::string& Explainer::slot_label(int32_t slot, const ItemInfo& item) const {
  static const std::string kUnknown = "?";
  const auto& table = slot_labels_[&item - b_.policy->items.data()];
  return slot >= 0 && static_cast<size_t>(slot) < table.size() && table[slot] ? *table[slot] : kUnknown;
}

// The value of a slot as used: a value the application did not give is never shown as if it
// had been, nor a let the evaluation never computed.
void Explainer::slot_value(int32_t slot, Type type, const int64_t* frame, const ItemInfo& item, std::string& out) {
  if (slot < static_cast<int32_t>(present_slot_of_.size()) && present_slot_of_[slot] >= 0 && !frame[present_slot_of_[slot]]) {
    out += "（未填写）";
    return;
  }
  const ir::ItemProgram& ip = program_of(item);
  for (size_t l = 0; l < ip.let_slots.size(); ++l)
    if (ip.let_slots[l] == slot && !frame[ip.let_flag_slots[l]]) {
      out += "（未计算）";
      return;
    }
  if (type.ty == Ty::Date && slot < static_cast<int32_t>(month_slot_.size()) && month_slot_[slot]) {
    std::string day;
    format_date(static_cast<int32_t>(frame[slot]), day);
    out.append(day, 0, 7);  // 2025-03
    return;
  }
  append_value(out, type, frame[slot]);
}

const ir::ItemProgram& Explainer::program_of(const ItemInfo& item) const {
  return b_.program->items[&item - b_.policy->items.data()];
}

// The expression with names only ("研发投入 ≥ 门槛") into `formula`, and the values it read
// ("研发投入 287,816.63 元，门槛 1,000,000.00 元") into `found`: what was required, what was found.
void Explainer::formula(int32_t node, const int64_t* frame, const ItemInfo& item, std::string& formula,
                        std::string& found) {
  names_only_ = true;
  used_slots_.clear();
  describe(node, frame, item, formula);
  names_only_ = false;
  for (size_t i = 0; i < used_slots_.size(); ++i) {
    if (i) found += "，";
    found += slot_label(used_slots_[i].first, item);
    found += ' ';
    slot_value(used_slots_[i].first, used_slots_[i].second, frame, item, found);
  }
  if (used_slots_.empty()) found += "无申报数据";
}

// A tier's name: its label, else its condition ("营业收入 ≥ 100,000,000.00 元"), else 其他情形.
void Explainer::tier_name(const ir::ShowTier& tier, const int64_t* frame, const ItemInfo& item, std::string& out) {
  if (!tier.label.empty()) {
    out += tier.label;
  } else if (tier.when >= 0) {
    names_only_ = true;
    used_slots_.clear();
    describe(tier.when, frame, item, out);
    names_only_ = false;
  } else {
    out += "其他情形";
  }
}

// The expression with the values it used: "30% × 算力服务费用 25,000,000.00 元"; with
// names_only_, names alone, collecting the slots it read (formula(), tier_name()).
void Explainer::describe(int32_t node, const int64_t* frame, const ItemInfo& item, std::string& out) {
  struct Hooks {
    Explainer& ex;
    const int64_t* frame;
    const ItemInfo& item;
    void constant(Type t, int64_t v, std::string& o) { ex.append_value(o, t, v); }
    void slot(int32_t s, Type t, std::string& o) {
      o += ex.slot_label(s, item);
      if (ex.names_only_) {
        bool seen = false;
        for (const auto& [u, ut] : ex.used_slots_) seen |= u == s;
        if (!seen) ex.used_slots_.push_back({s, t});
        return;
      }
      o += ' ';
      ex.slot_value(s, t, frame, item, o);
    }
    int given(int32_t presence_slot) const { return ex.names_only_ ? -1 : frame[presence_slot] != 0; }
  } hooks{*this, frame, item};
  render_show(*b_.policy, program_of(item), node, hooks, out);
}

// Where explain_into() writes its steps: Step objects (text, CSV, tests) or JSON directly.
struct Explainer::StepSink {
  Explainer& ex;
  Step* s = nullptr;
  std::string& begin(const char* kind, int clause, const std::string* rule, int passed, bool bound) {
    Step& st = ex.next(kind, clause);
    if (rule) st.rule = *rule;
    st.passed = passed;
    st.bound = bound;
    s = &st;
    return st.text;
  }
  void num(const char* key, int64_t fen) { ex.number_money(*s, key, fen); }
  void num_text(const char* key, std::string_view v) { ex.number(*s, key, v); }
  void end() {}
};

// The one JSON writer of decisions (run, eval, test, the ledger): each step straight into the
// output line, keys always in one order (step, clause, rule, passed, bound, text, figures). When
// no label of the policy needs escaping, applicant texts are escaped as they are appended;
// otherwise a step's text is written raw and escaped as a whole when it is closed.
struct Explainer::JsonSink {
  Explainer& ex;
  std::string& out;
  bool first = true, in_text = false;
  size_t text_begin = 0;
  void label(const std::string& s) {
    if (ex.policy_plain_) out += s;
    else json_escape(s, out);
  }
  std::string& begin(const char* kind, int clause, const std::string* rule, int passed, bool bound) {
    out += first ? "{\"step\":\"" : ",{\"step\":\"";
    first = false;
    out += kind;
    out += "\",\"clause\":\"";
    if (clause >= 0) label(ex.b_.policy->clauses[clause].number);
    out += '"';
    if (clause >= 0 && !ex.clause_doc_[clause].empty()) {
      out += ",\"document\":\"";
      label(ex.clause_doc_[clause]);
      out += '"';
    }
    if (rule && !rule->empty()) {
      out += ",\"rule\":\"";
      label(*rule);
      out += '"';
    }
    if (passed >= 0) out += passed ? ",\"passed\":true" : ",\"passed\":false";
    if (bound) out += ",\"bound\":true";
    if (!ex.text_) return ex.discard_;  // brief: figures only
    out += ",\"text\":\"";
    in_text = true;
    text_begin = out.size();
    return out;
  }
  void close_text() {
    if (!in_text) return;
    if (!ex.policy_plain_) {
      std::string raw = out.substr(text_begin);
      out.resize(text_begin);
      json_escape(raw, out);
    }
    out += '"';
    in_text = false;
  }
  void num(const char* key, int64_t fen) {
    close_text();
    out += ",\"";
    out += key;
    out += "\":\"";
    format_money_plain(fen, out);
    out += '"';
  }
  void num_text(const char* key, std::string_view v) {
    close_text();
    out += ",\"";
    out += key;
    out += "\":\"";
    json_escape(v, out);
    out += '"';
  }
  void end() {
    close_text();
    out += '}';
  }
};

size_t Explainer::explain(uint32_t a) {
  n_ = 0;
  StepSink sink{*this};
  size_t n = explain_into(a, sink);
  if (n_ > 0) steps_[n_ - 1].plain = policy_plain_ && !user_text_;
  return n;
}

template <class Sink>
size_t Explainer::explain_into(uint32_t a, Sink& sink, bool loaded) {
  const Policy& p = *b_.policy;
  const Application& app = b_.apps[a];
  const Decision& d = b_.decisions[a];
  if (d.status != Status::Eligible && d.status != Status::Ineligible && d.status != Status::Routed) return 0;
  const ItemInfo& item = p.items[app.item];
  const ir::ItemProgram& ip = b_.program->items[app.item];
  // Re-run the item program to recover the values it used: cheaper than keeping every frame.
  int64_t* frame = loaded ? b_.frame.data() : b_.load(app);
  ItemRun run;
  run_item(ip, frame, b_.texts.data(), run);
  size_t steps = 0;
  // A rule in the words of the version that judged the application.
  auto label = [&](const RuleInfo& r) -> const std::string& {
    const std::string& l = r.label_in(item.version);
    return l.empty() ? r.name : l;
  };

  const Validity& validity = p.validity_of(app.item);
  if (validity.present) {
    bool ok = app.date >= validity.from && app.date <= validity.to;
    std::string& t = sink.begin("validity", validity.clause, nullptr, ok, false);
    if (text_) {
      std::string& date = scratch_[next_scratch_++ % kScratch];
      date.clear();
      format_date(app.date, date);
      // The sentences of the commonest steps are assembled by hand: they are most of the output.
      t += "受理日期 ";
      t += date;
      t += ok ? " 在有效期 " : " 不在有效期 ";
      if (p.versions.empty()) {
        t += validity_from_;
        t += " 至 ";
        t += validity_to_;
        t += " 内";
      } else {
        // A programme of several versions: which text judged it, and since when.
        const VersionInfo& v = p.versions[item.version];
        format_date(validity.from, t);
        t += " 至 ";
        format_date(validity.to, t);
        t += " 内；适用《";
        t += v.title.empty() ? v.name : v.title;
        t += "》";
        if (item.version > 0) {
          t += "（自 ";
          format_date(v.in_force_from, t);
          t += " 起施行）";
        }
      }
    }
    sink.end();
    ++steps;
  }
  // Another policy's awards: the key values of a link, the other policy, and the grants found.
  // The key fields of a link with their values: "扶持事项（项目） P-01".
  auto link_keys = [&](const std::vector<int>& fields) -> const std::string& {
    keys_.clear();
    for (int f : fields) {
      if (!keys_.empty()) keys_ += "、";
      keys_ += p.fields[f].label.empty() ? p.fields[f].name : p.fields[f].label;
      keys_ += " ";
      append_value(keys_, p.fields[f].type, frame[p.fields[f].slot]);
    }
    return keys_;
  };
  auto found_text = [&](const LevelStep& st, std::string& t) {
    const LevelFound& found = b_.level_found[st.found];
    if (found.grants.empty()) {
      t += "未获支持";
      return;
    }
    t += "已支持 ";
    format_money(st.other, t);
    t += "（";
    for (size_t k = 0; k < found.grants.size() && k < 3; ++k) {
      const OtherGrant& g = b_.other_grants[found.grants[k]];
      if (k) t += "、";
      t += "申报 ";
      user_text_ = true;
      if (json_mode_) json_escape(g.id, t);
      else t.append(g.id);
      t += " ";
      format_money(g.award, t);
    }
    if (found.grants.size() > 3) append_fmt(t, " 等 {} 笔", found.grants.size());
    t += "）";
  };
  for (uint32_t s = d.levels_begin; s < d.levels_begin + d.levels_count; ++s) {
    const LevelStep& st = b_.level_steps[s];
    if (st.rule >= 0) continue;
    const FieldInfo& f = p.fields[st.field];
    if (st.earlier) {
      const EarlierLink& el = p.earlier_links[f.earlier];
      std::string& t = sink.begin("earlier", item.clause, &f.name, -1, false);
      if (text_) {
        t += f.label.empty() ? f.name : f.label;
        t += "按本政策此前的支持计算（事项 ";
        for (size_t k = 0; k < el.items.size(); ++k) t += (k ? "、" : "") + el.items[k];
        t += "，";
        t += link_keys(el.key_fields);
        t += "）：";
        if (el.kind == EarlierLink::Kind::First && !st.found) t += "此前未获支持";
        else if (el.kind == EarlierLink::Kind::Count) append_fmt(t, "此前已获支持 {} 次", st.other);
        else if (el.kind == EarlierLink::Kind::First) {
          t += "首次获支持于 ";
          format_date(static_cast<int32_t>(st.other), t);
        } else {
          t += "此前已获支持合计 ";
          format_money(st.other, t);
          t += "（历史与台账记录）";
        }
      }
      sink.end();
      ++steps;
      continue;
    }
    const LevelLink& l = p.level_links[f.award_of];
    std::string& t = sink.begin("award_of", item.clause, &f.name, -1, false);
    if (text_) {
      append_fmt(t, "{}取自{}对{} 的支持：", f.label.empty() ? f.name : f.label, other_policy(l.policy), link_keys(l.key_fields));
      found_text(st, t);
      t += "，记为 ";
      format_money(st.other, t);
    }
    sink.num("value", st.other);
    sink.end();
    ++steps;
  }
  // Each intermediate value the decision computed, with how: "补贴月数 = max(0, …) = 5", so a value
  // derived from dates or figures is never a bare number. A let that is a constant says nothing
  // more than the rule that reads it; one the evaluation never reached is not shown.
  for (size_t l = 0; l < item.lets.size(); ++l) {
    const LetInfo& let = item.lets[l];
    if (!frame[ip.let_flag_slots[l]] || ip.show[ip.let_show[l]].op == TOp::Const) continue;
    Type type = ip.show[ip.let_show[l]].type;
    std::string& value = scratch_[next_scratch_++ % kScratch];
    value.clear();
    if (text_ || type.ty != Ty::Money) slot_value(let.slot, type, frame, item, value);
    std::string& t = sink.begin("value", item.clause, &let.name, -1, false);
    if (text_) {
      detail_.clear();
      describe(ip.let_show[l], frame, item, detail_);
      append_fmt(t, FMT_COMPILE("{} = {} = {}"), let.name, detail_, value);
    }
    if (type.ty == Ty::Money) sink.num("value", frame[let.slot]);
    else sink.num_text("value", value);
    sink.end();
    ++steps;
  }
  for (size_t c = 0; c < item.conditions.size(); ++c) {
    const ConditionInfo& ci = item.conditions[c];
    bool ok = d.conditions >> c & 1;
    bool unknown = d.unknown_conditions >> c & 1;
    detail_.clear();
    if (text_ && (ok || unknown)) describe(ip.condition_show[c], frame, item, detail_);  // a failed one is described below
    std::string& t = sink.begin("condition", ci.clause >= 0 ? ci.clause : item.clause, &ci.name, ok, false);
    if (!text_) {
    } else if (unknown) {
      append_fmt(t, FMT_COMPILE("无法判断「{}」：计算时除数为 0 或数额超出范围（{}）"), ci.name, detail_);
    } else if (ok) {
      t += "满足「";
      t += ci.name;
      t += "」：";
      t += detail_;
    }
    else {
      // The formula with its values would read as a true statement ("20,000,000.00 元 > 20,000,000.00 元"):
      // say what was required, then what was found.
      std::string& found = scratch_[next_scratch_++ % kScratch];
      found.clear();
      detail_.clear();
      formula(ip.condition_show[c], frame, item, detail_, found);
      append_fmt(t, FMT_COMPILE("不满足「{}」：{}（要求 {}；实际 {}）"), ci.name, ci.reason.empty() ? ci.name : ci.reason,
                 detail_, found);
    }
    sink.end();
    ++steps;
  }
  auto keys_of = [&](const RuleInfo& r) -> const std::string& {
    keys_.clear();
    for (int f : r.key_fields) {
      if (!keys_.empty()) keys_ += "、";
      append_value(keys_, p.fields[f].type, frame[p.fields[f].slot]);
    }
    return keys_;
  };
  if (d.cause == Cause::Once || d.cause == Cause::Series) {
    const RuleInfo& r = p.rules[d.cause_rule];
    const std::string& keys = text_ ? keys_of(r) : keys_;
    std::string& t = sink.begin(d.cause == Cause::Once ? "once" : "series", r.clause, &r.name, 0, false);
    if (!text_) {
    } else if (d.cause == Cause::Once && b_.program->rules[d.cause_rule].per_year)
      append_fmt(t, "{} 在 {} 年已获支持，当年不再支持（{}）", keys, year_of(app.date), label(r));
    else if (d.cause == Cause::Once)
      append_fmt(t, "{} 已获支持，不再支持（{}）", keys, label(r));
    else {
      append_fmt(t, "{} 已获支持 {} 次，首次在 {} 年（{}", keys, d.series_count, d.series_first_year, label(r));
      if (r.max_supports > 0 && r.within.years > 0) append_fmt(t, "：至多 {} 次、{} 年内）", r.max_supports, r.within.years);
      else if (r.max_supports > 0) append_fmt(t, "：至多 {} 次）", r.max_supports);
      else if (r.within.years > 0) append_fmt(t, "：首次支持后 {} 年内）", r.within.years);
      else t += "）";
      if (r.max_consecutive_years > 0)
        append_fmt(t, "；截至上一年已连续 {} 年获支持，连续支持不超过 {} 年", d.series_run, r.max_consecutive_years);
    }
    sink.end();
    ++steps;
  }
  if (item.discretionary) {
    // Nothing to compute: the authority sets the amount, within the cap if there is one.
    std::string& t = sink.begin("amount", item.clause, nullptr, -1, false);
    if (text_) {
      t += "支持金额由主管部门确定";
      if (!item.discretion.empty()) t += "（" + item.discretion + "）";
      if (d.cap < 0) t += "，本措施未规定上限";
    }
    sink.num_text("value", "discretionary");
    sink.end();
    ++steps;
  } else {
    std::string_view result = text_ ? money(d.amount) : std::string_view();
    if (d.amount_tier >= 0 && ip.amount_tiers[d.amount_tier].value >= 0) {
      const ir::ShowTier& tier = ip.amount_tiers[d.amount_tier];
      std::string& t = sink.begin("amount", item.clause, nullptr, -1, false);
      if (text_) {
        t += "金额档次「";
        tier_name(tier, frame, item, t);
        t += "」：";
        if (ip.show[tier.value].op == TOp::Const) {
          t += "定额 ";
        } else {
          describe(tier.value, frame, item, t);
          t += " = ";
        }
        t += result;
      }
    } else {
      detail_.clear();
      if (text_ && ip.amount_show >= 0) describe(ip.amount_show, frame, item, detail_);
      TOp op = ip.amount_show >= 0 ? ip.show[ip.amount_show].op : TOp::Const;
      std::string& t = sink.begin("amount", item.clause, nullptr, -1, false);
      if (!text_) {
      } else if (op == TOp::Const) append_fmt(t, FMT_COMPILE("定额支持 {}"), result);
      else if (op == TOp::Slot) append_fmt(t, FMT_COMPILE("支持金额按{}"), detail_);
      else if (op == TOp::Round || op == TOp::Min || op == TOp::Max)
        append_fmt(t, FMT_COMPILE("{} = {}"), detail_, result);
      else
      {
        t += detail_;
        t += " = ";
        t += result;
        t += "（";
        t += rounding_name_zh(p.rounding);
        t += "到 ";
        format_money(p.rounding_quantum, t);
        t += "）";
      }
    }
    sink.num("value", d.amount);
    sink.end();
    ++steps;
  }
  if (d.cap >= 0) {
    bool bound = d.status == Status::Eligible && d.amount > d.cap;
    std::string_view tier = "";  // never a null view: fmt copies it with memcpy
    if (text_ && d.cap_tier >= 0) {
      const ir::ShowTier& ti = ip.cap_tiers[d.cap_tier];
      std::string& buf = scratch_[next_scratch_++ % kScratch];
      buf = "（";
      tier_name(ti, frame, item, buf);
      buf += "）";
      tier = buf;
    }
    std::string& t = sink.begin("cap", item.clause, nullptr, -1, bound && !item.discretionary);
    if (!text_) {
    } else if (item.discretionary)
      append_fmt(t, FMT_COMPILE("单笔上限 {}{}：主管部门确定的支持金额不超过此数"), money(d.cap), tier);
    else if (bound)
      append_fmt(t, FMT_COMPILE("单笔上限 {}{}起作用：{} → {}"), money(d.cap), tier, money(d.amount), money(d.base));
    else
      append_fmt(t, FMT_COMPILE("单笔上限 {}{}未起作用"), money(d.cap), tier);
    if (text_ && d.relaxable) {
      t += "；上限可适当放宽";
      if (!item.relax_reason.empty()) t += "（" + item.relax_reason + "）";
      t += "，是否放宽及放宽后的金额由主管部门确定（按公式计算为 ";
      format_money(d.amount, t);
      t += "）";
    }
    if (d.relaxable) sink.num("uncapped", d.amount);
    sink.num("cap", d.cap);
    sink.num("after", d.base);
    sink.end();
    ++steps;
  }
  if (d.status == Status::Routed) {
    const RuleInfo& r = p.rules[d.route_rule];
    const ir::RulePlan& rp = b_.program->rules[d.route_rule];
    int64_t threshold = rp.threshold_param >= 0 ? p.params[rp.threshold_param].value : rp.threshold_fen;
    std::string& t = sink.begin("route", r.clause, &r.name, -1, true);
    if (text_)
      append_fmt(t, "{}：核定金额 {} 超过 {}，转由{}决定（本政策不作支持决定）", label(r), money(d.base), money(threshold),
                 other_policy(r.route_to));
    sink.num("threshold", threshold);
    sink.num_text("routed_to", r.route_to);
    sink.end();
    ++steps;
  }
  if (d.status != Status::Eligible) return steps;
  if (d.quota_rule >= 0) {
    const RuleInfo& r = p.rules[d.quota_rule];
    bool in = d.quota_rank <= d.quota_places;
    std::string& t = sink.begin("quota", r.clause, &r.name, -1, !in);
    if (text_)
      append_fmt(t, "{}：本批排名第 {}（共 {} 个），剩余名额 {} 个，{}", label(r), d.quota_rank,
                   d.quota_candidates, d.quota_places, in ? "入选" : "未入选，不予支持");
    char buf[24];
    sink.num_text("rank", std::string_view(buf, static_cast<size_t>(std::snprintf(buf, sizeof buf, "%d", d.quota_rank))));
    sink.num_text("places", std::string_view(buf, static_cast<size_t>(std::snprintf(buf, sizeof buf, "%d", d.quota_places))));
    sink.end();
    ++steps;
  }
  if (d.exclusive_rule >= 0) {
    const RuleInfo& r = p.rules[d.exclusive_rule];
    const std::string& keys = text_ ? keys_of(r) : keys_;
    const char* refusal = label(r).c_str();  // the policy's words, not ours
    bool won = !d.exclusive_history && d.exclusive_winner == static_cast<int32_t>(a);
    std::string& t = sink.begin("exclusive", r.clause, &r.name, -1, !won);
    if (!text_) {
      if (!d.exclusive_history && !won && d.exclusive_winner >= 0)
        sink.num_text("winner", b_.apps[d.exclusive_winner].id);
    } else if (d.exclusive_history) {
      append_fmt(t, "事项 {} 已获扶持（历史记录），{}", keys, refusal);
    } else if (won) {
      append_fmt(t, "事项 {} 在本批中以本申报的金额最高，予以支持", keys);
    } else if (d.exclusive_winner >= 0) {
      std::string& id = scratch_[next_scratch_++ % kScratch];
      id.clear();
      if (json_mode_) json_escape(b_.apps[d.exclusive_winner].id, id);
      else id.append(b_.apps[d.exclusive_winner].id);
      append_fmt(t, "事项 {} 由申报 {} 获得支持（金额 {} 更高或更早），{}", keys, id,
                     money(b_.decisions[d.exclusive_winner].base), refusal);
      sink.num_text("winner", b_.apps[d.exclusive_winner].id);
    } else {
      append_fmt(t, "事项 {} 本批无可支持的申报", keys);
    }
    sink.end();
    ++steps;
  }
  for (uint32_t s = d.levels_begin; s < d.levels_begin + d.levels_count; ++s) {
    const LevelStep& st = b_.level_steps[s];
    if (st.rule < 0) continue;
    const RuleInfo& r = p.rules[st.rule];
    const LevelLink& l = p.level_links[r.level_link];
    bool bound = st.after < st.before;
    bool highest = r.kind == RuleKind::Highest;
    std::string& t = sink.begin(highest ? "highest" : "combined", r.clause, &r.name, -1, bound);
    if (text_) {
      append_fmt(t, "{}：{}对{} ", label(r), other_policy(l.policy), link_keys(l.key_fields));
      found_text(st, t);
      if (highest) {
        t += st.other >= st.before && st.other > 0 ? "，不低于本级核定金额，本级不再支持"
             : st.other > 0                        ? "，本级支持差额（就高不重复）"
                                                   : "";
      } else {
        t += "；两级合计不超过 ";
        format_money(st.limit, t);
      }
      t += "；";
      format_money(st.before, t);
      t += " → ";
      format_money(st.after, t);
      if (bound) t += "（起作用）";
    }
    sink.num("other", st.other);
    if (!highest) sink.num("limit", st.limit);
    sink.num("before", st.before);
    sink.num("after", st.after);
    sink.end();
    ++steps;
  }
  for (uint32_t g = d.groups_begin; g < d.groups_begin + d.groups_count; ++g) {
    const GroupStep& gs = b_.group_steps[g];
    const RuleInfo& r = p.rules[gs.rule];
    bool bound = gs.after < gs.before;
    int64_t avail = std::max<int64_t>(0, gs.limit - gs.used);
    std::string& t = sink.begin("group_cap", r.clause, &r.name, -1, bound);
    if (text_)
      {
      t += label(r);
      t += "：上限 ";
      format_money(gs.limit, t);
      t += "，已使用 ";
      format_money(gs.used, t);
      t += "，可用 ";
      format_money(avail, t);
      t += "；";
      if (d.discretionary && gs.before < 0) {
        t += "主管部门确定的支持金额不超过 ";
        format_money(gs.after, t);
      } else {
        if (d.discretionary) t += "主管部门确定的支持金额上限 ";
        format_money(gs.before, t);
        t += " → ";
        format_money(gs.after, t);
        if (bound) t += "（起作用）";
      }
    }
    sink.num("limit", gs.limit);
    sink.num("used", gs.used);
    if (gs.before >= 0) sink.num("before", gs.before);  // a discretionary amount without a cap has no ceiling before the group
    sink.num("after", gs.after);
    sink.end();
    ++steps;
  }
  if (d.budget_rule >= 0) {
    const RuleInfo& r = p.rules[d.budget_rule];
    const BudgetYear* year = nullptr;
    for (const auto& by : b_.budget_years)
      if (by.rule == d.budget_rule && (r.period != Period::Year || by.year == year_of(app.date))) year = &by;
    bool oversubscribed = year && year->oversubscribed;
    std::string& t = sink.begin("budget", r.clause, &r.name, -1, !oversubscribed);
    int64_t remaining = year ? std::max<int64_t>(0, year->budget - year->history) : 0;
    if (year && text_) {
      append_fmt(t, "{}：{} 年资金 {}，已拨付 {}，剩余 {}；本批申请合计 {}，", label(r), year->year, money(year->budget),
                 money(year->history), money(remaining), money(year->total));
      if (oversubscribed)
        t += "超出剩余资金，政策未规定超出时如何分配：本金额未调减，由主管部门决定";
      else if (r.ration == Ration::ProRata)
        append_fmt(t, "按比例 {}/{} 调减并{}到 {}：{} → {}", money(remaining), money(year->total), rounding_name_zh(r.scale_mode),
                   money(r.scale_quantum), money(d.before_budget), money(d.award));
      else {
        if (r.ration == Ration::FirstCome) t += "按受理先后拨付";
        else {
          const FieldInfo& f = p.fields[r.rank_field];
          append_fmt(t, "按{}{}拨付", f.label.empty() ? f.name : f.label, r.descending ? "从高到低" : "从低到高");
        }
        append_fmt(t, "，轮到本申报时剩余 {}：{} → {}", money(d.budget_left), money(d.before_budget), money(d.award));
      }
    }
    if (year) {
      sink.num("remaining", remaining);
      sink.num("total", year->total);
    }
    if (!oversubscribed) {
      sink.num("before", d.before_budget);
      sink.num("after", d.award);
    }
    if (d.budget_left >= 0) sink.num("left", d.budget_left);
    sink.end();
    ++steps;
  }
  return steps;
}

DecisionStatus decision_status(const Batch& b, uint32_t a) {
  const Decision& d = b.decisions[a];
  switch (d.status) {
    case Status::Error: return DecisionStatus::InputError;
    case Status::Recorded: return DecisionStatus::AlreadyDecided;
    case Status::Ineligible: case Status::Pending: return DecisionStatus::Ineligible;
    case Status::Routed: return DecisionStatus::Routed;
    case Status::Eligible: break;
  }
  if (d.quota_rule >= 0 && d.quota_rank > d.quota_places) return DecisionStatus::QuotaLost;
  if (d.exclusive_rule >= 0 && (d.exclusive_history || d.exclusive_winner != static_cast<int32_t>(a)))
    return DecisionStatus::NotDoubleSupported;
  if (d.discretionary) return DecisionStatus::Discretionary;
  if (d.budget_rule >= 0 && d.before_budget < 0) return DecisionStatus::Oversubscribed;
  if (d.budget_left >= 0 && d.award == 0) return DecisionStatus::BudgetUsedUp;
  if (d.base == 0) return DecisionStatus::NoAmount;
  for (uint32_t s = d.levels_begin; d.award == 0 && s < d.levels_begin + d.levels_count; ++s) {
    const LevelStep& st = b.level_steps[s];
    if (st.rule >= 0 && st.before > 0 && st.after == 0) return DecisionStatus::OtherLevel;
  }
  if (d.award == 0) return d.before_budget > 0 ? DecisionStatus::BudgetScaled : DecisionStatus::CapUsedUp;
  if (d.before_budget >= 0 && d.award < d.before_budget) return DecisionStatus::BudgetScaled;
  if (d.award < d.amount) return d.relaxable && d.award == d.base ? DecisionStatus::CapRelaxable : DecisionStatus::Capped;
  return DecisionStatus::Granted;
}

const char* status_name(DecisionStatus s) {
  static const char* kNames[] = {"granted", "capped", "budget_scaled", "cap_used_up", "quota_lost",
                                 "not_double_supported", "no_amount", "ineligible", "input_error", "already_decided",
                                 "other_level", "routed", "discretionary", "cap_relaxable", "oversubscribed",
                                 "budget_used_up"};
  return kNames[static_cast<int>(s)];
}

const char* status_zh(DecisionStatus s) {
  static const char* kNames[] = {"予以支持", "予以支持（受上限限制）", "予以支持（按总额控制比例调减）",
                                 "符合条件，但合计上限已用完，不予支持", "符合条件，但未获名额，不予支持",
                                 "符合条件，但同一事项已由其他申报获得支持", "符合条件，但按规定计算的支持金额为零",
                                 "不符合条件", "输入有误", "已于此前决定",
                                 "符合条件，但已获其他层级支持（就高不重复或叠加上限），本级不再支持",
                                 "金额超过限额，转由其他政策决定", "符合条件，支持金额由主管部门确定",
                                 "予以支持（受上限限制，上限可适当放宽，由主管部门确定）",
                                 "符合条件，但资金池超额申请，政策未规定分配办法，金额待主管部门决定",
                                 "符合条件，但资金池已用完，不予支持"};
  return kNames[static_cast<int>(s)];
}

void Explainer::json_line(uint32_t a, std::string& out) {
  const Application& app = b_.apps[a];
  const Decision& d = b_.decisions[a];
  if (d.status == Status::Recorded) {
    // Decided in an earlier run: the recorded decision, marked so, and nothing new granted.
    const std::string& rec = b_.recorded[d.error];
    out += "{\"already_decided\":true,";
    out.append(rec, 1, std::string::npos);
    if (out.back() != '\n') out += '\n';
    return;
  }
  out += "{\"id\":\"";
  json_escape(app.id, out);
  out += '"';
  if (b_.run) {  // several policies in one run: whose decision this is
    out += ",\"policy\":\"";
    json_escape(b_.policy->name, out);
    out += '"';
  }
  if (d.status == Status::Error) {
    out += fmt::format(",\"status\":\"input_error\",\"line\":{},\"code\":\"{}\",\"error\":\"", app.line, code_name(d.error_code));
    json_escape(b_.errors[d.error].text(lang_), out);
    out += '"';
    // An application with several problems lists them all (code and error stay its first).
    std::vector<InputError> all = b_.input_errors(d);
    if (all.size() > 1) {
      out += ",\"errors\":[";
      for (size_t k = 0; k < all.size(); ++k) {
        out += fmt::format("{}{{\"code\":\"{}\",\"error\":\"", k ? "," : "", code_name(all[k].code));
        json_escape(all[k].text(lang_), out);
        out += "\"}";
      }
      out += ']';
    }
    out += "}\n";
    return;
  }
  const Policy& p = *b_.policy;
  const ItemInfo& item = p.items[app.item];
  const int64_t* frame = b_.load(app);
  out += ",\"enterprise\":\"";
  json_escape(b_.texts[frame[p.fields[p.field_enterprise].slot]], out);
  out += "\",\"item\":\"";
  json_escape(item.number, out);
  out += "\",\"date\":\"";
  format_date(app.date, out);
  out += d.status == Status::Eligible ? "\",\"eligible\":true," : "\",\"eligible\":false,";
  if (d.status == Status::Eligible && d.discretionary) {
    // No number stands for an amount the authority has yet to set: null, and the ceiling.
    out += "\"award\":null";
    if (d.ceiling >= 0) {
      out += ",\"ceiling\":\"";
      format_money_plain(d.ceiling, out);
      out += '"';
    }
    out += ",\"status\":\"";
  } else {
    out += "\"award\":\"";
    format_money_plain(d.award, out);
    out += "\",\"status\":\"";
  }
  out += status_name(decision_status(b_, a));
  out += "\",\"clause\":\"";
  json_escape(item.clause >= 0 ? p.clauses[item.clause].number : "", out);
  if (!p.versions.empty()) {  // which version of the programme judged it
    out += "\",\"version\":\"";
    json_escape(p.versions[item.version].name, out);
  }
  if (d.status == Status::Routed) {  // which policy decides it instead
    out += "\",\"routed_to\":\"";
    json_escape(p.rules[d.route_rule].route_to, out);
  }
  if (detail_level_ == Detail::None) {
    out += "\"}\n";
    return;
  }
  out += "\",\"explanation\":[";
  json_mode_ = policy_plain_;  // otherwise each text is escaped whole by the sink
  JsonSink sink{*this, out};
  explain_into(a, sink, /*loaded=*/true);
  json_mode_ = false;
  out += "]}\n";
}

// A text as the text form shows it: bad bytes as U+FFFD, so every line is valid UTF-8.
static std::string shown(std::string_view s) {
  std::string scratch;
  return std::string(valid_utf8(s, scratch));
}

void Explainer::text_block(uint32_t a, std::string& out) {
  const Policy& p = *b_.policy;
  const Application& app = b_.apps[a];
  const Decision& d = b_.decisions[a];
  if (d.status == Status::Recorded) {
    out += fmt::format("申报 {}：已于此前决定（见台账），本次不再决定，不再重复支持。台账记录：{}", shown(app.id), b_.recorded[d.error]);
    if (out.back() != '\n') out += '\n';
    return;
  }
  if (d.status == Status::Error) {
    out += render_msg(msg(InputMsg::InputErrorLine, {{"id", shown(app.id)}, {"line", std::to_string(app.line)},
                                                      {"code", code_name(d.error_code)},
                                                      {"message", shown(b_.errors[d.error].text(lang_))}}),
                      lang_);
    out += '\n';
    std::vector<InputError> all = b_.input_errors(d);
    for (size_t k = 1; k < all.size(); ++k)
      out += fmt::format("  error[{}]: {}\n", code_name(all[k].code), shown(all[k].text(lang_)));
    return;
  }
  const ItemInfo& item = p.items[app.item];
  int64_t* frame = b_.load(app);
  // Several policies in one run: each decision names its document.
  std::string document =
      b_.run ? "《" + (!p.short_title.empty() ? p.short_title : !p.title.empty() ? p.title : p.name) + "》" : std::string();
  if (item.clause >= 0 && !clause_doc_[item.clause].empty()) document = "《" + clause_doc_[item.clause] + "》";
  out += fmt::format("申报 {} · 事项 {}「{}」· {}{} · 企业 {} · 受理日期 {}", shown(app.id), item.number, item.title, document,
                     clause_title(p, item.clause), b_.texts[frame[p.fields[p.field_enterprise].slot]], date_str(app.date));
  if (!p.versions.empty()) {
    const VersionInfo& v = p.versions[item.version];
    out += " · 适用《" + (v.title.empty() ? v.name : v.title) + "》";
  }
  out += '\n';
  // The first line says why when an eligible application gets nothing, and the status by name.
  DecisionStatus st = decision_status(b_, a);
  if (st == DecisionStatus::Discretionary)
    out += fmt::format("结果：{}{} [{}]\n", status_zh(st), d.cap >= 0 ? "，不超过 " + money_str(d.cap) : std::string("（未规定上限）"),
                       status_name(st));
  else if (st == DecisionStatus::Granted || st == DecisionStatus::Capped || st == DecisionStatus::BudgetScaled ||
           st == DecisionStatus::CapRelaxable)
    out += fmt::format("结果：符合条件，{}，核定支持金额 {} [{}]\n", status_zh(st), money_str(d.award), status_name(st));
  else
    out += fmt::format("结果：{}，支持金额 {} [{}]\n", status_zh(st), money_str(d.award), status_name(st));
  size_t n = explain(a);
  for (size_t i = 0; i < n; ++i) {
    const Step& s = steps_[i];
    const char* mark = s.passed == 1 ? "✓" : s.passed == 0 ? "✗" : s.bound ? "↓" : "·";
    std::string where = s.clause.empty() ? "" : (s.document.empty() ? "" : "《" + s.document + "》") + cite_clause(s.clause) + " ";
    out += fmt::format("  {} {}{}\n", mark, where, s.text);
  }
}

// The decisions table is for spreadsheets: a UTF-8 byte-order mark so Excel reads the Chinese
// text, and cells that would start a formula (= + - @) are kept as text.
void Explainer::csv_header(std::string& out) { out += "\xEF\xBB\xBFid,enterprise,item,eligible,award,status,reasons\n"; }

static void sheet_cell(std::string_view raw, std::string& out) {
  std::string scratch;
  std::string_view s = valid_utf8(raw, scratch);
  if (!s.empty() && std::strchr("=+-@\t\r", s[0])) {
    std::string guarded = "'";
    guarded.append(s);
    append_csv_cell(guarded, out);
    return;
  }
  append_csv_cell(s, out);
}

void Explainer::csv_row(uint32_t a, std::string& out) {
  const Policy& p = *b_.policy;
  const Application& app = b_.apps[a];
  const Decision& d = b_.decisions[a];
  sheet_cell(app.id, out);
  out += ',';
  if (d.status == Status::Recorded) {
    out += ",,,,already_decided,already decided (ledger)\n";
    return;
  }
  if (d.status == Status::Error) {
    out += ",,,,input_error,";
    std::string reasons;  // every problem, as the steps of a decision are joined
    for (const InputError& e : b_.input_errors(d))
      reasons += (reasons.empty() ? "" : "；") + std::string("error[") + code_name(e.code) + "]: " + e.text(lang_);
    sheet_cell(reasons, out);
    out += '\n';
    return;
  }
  int64_t* frame = b_.load(app);
  sheet_cell(b_.texts[frame[p.fields[p.field_enterprise].slot]], out);
  out += ',';
  sheet_cell(p.items[app.item].number, out);
  out += d.status == Status::Eligible ? ",true," : ",false,";
  if (!(d.status == Status::Eligible && d.discretionary)) format_money_plain(d.award, out);  // to be set: an empty cell
  out += ',';
  out += status_name(decision_status(b_, a));
  out += ',';
  size_t n = explain(a);
  std::string reasons;
  for (size_t i = 0; i < n; ++i) {
    const Step& s = steps_[i];
    if (s.passed == 1 || (s.passed < 0 && !s.bound && s.kind != "amount")) continue;
    if (!reasons.empty()) reasons += "；";
    reasons += (s.clause.empty() ? "" : (s.document.empty() ? "" : "《" + s.document + "》") + cite_clause(s.clause) + " ") + s.text;
  }
  sheet_cell(reasons, out);
  out += '\n';
}

std::string batch_summary(const Batch& b, Lang lang) {
  const Policy& p = *b.policy;
  size_t errors = 0, eligible = 0, granted = 0, already = 0, routed = 0;
  int64_t total = 0;
  std::map<int, int64_t> per_item;
  std::vector<int> first_of_number(p.items.size());
  for (size_t i = 0; i < p.items.size(); ++i) {
    first_of_number[i] = static_cast<int>(i);
    for (size_t j = 0; j < i; ++j)
      if (p.items[j].number == p.items[i].number) {
        first_of_number[i] = static_cast<int>(j);
        break;
      }
  }
  std::map<int, int64_t> per_year;
  for (size_t i = 0; i < b.apps.size(); ++i) {
    const Decision& d = b.decisions[i];
    if (d.status == Status::Error) {
      ++errors;
      continue;
    }
    if (d.status == Status::Recorded) {
      ++already;
      continue;
    }
    if (d.status == Status::Eligible) ++eligible;
    if (d.status == Status::Routed) ++routed;
    if (d.award > 0) {
      ++granted;
      total += d.award;
      per_item[first_of_number[b.apps[i].item]] += d.award;  // an item of every version under one number
      per_year[year_of(b.apps[i].date)] += d.award;
    }
  }
  // One line of the summary: indented unless it is the head line.
  std::string out;
  auto line = [&](int indent, Msg m) { out += std::string(indent, ' ') + render_msg(m, lang) + "\n"; };
  line(0, msg(InputMsg::SummaryHead, {{"policy", p.name}, {"apps", std::to_string(b.apps.size())},
                                      {"eligible", std::to_string(eligible)}, {"granted", std::to_string(granted)},
                                      {"errors", std::to_string(errors)}, {"total", money_str(total)}}));
  if (already) line(2, msg(InputMsg::SummaryAlreadyDecided, {{"count", std::to_string(already)}}));
  if (routed) line(2, msg(InputMsg::SummaryRouted, {{"count", std::to_string(routed)}}));
  std::vector<std::string> names;
  for (const auto& f : p.fields) names.push_back(f.name);
  constexpr size_t kShown = 10;
  for (size_t u = 0; u < b.unknown_fields.size() && u < kShown; ++u) {
    const auto& [name, count] = b.unknown_fields[u];
    auto similar = did_you_mean(name, names);
    std::string shown_name = shown(utf8_prefix(name, 60)) + (name.size() > 60 ? "…" : "");
    Msg applications = count == 1 ? msg(InputMsg::SummaryApplicationsOne)
                                  : msg(InputMsg::SummaryApplicationsMany, {{"count", std::to_string(count)}});
    if (similar)
      line(2, msg(InputMsg::SummaryFieldReadByNoItemDidYouMean,
                  {{"name", shown_name}, nested("applications", applications), {"suggestion", *similar}}));
    else
      line(2, msg(InputMsg::SummaryFieldReadByNoItem, {{"name", shown_name}, nested("applications", applications)}));
  }
  if (b.unknown_fields.size() > kShown)
    line(2, msg(InputMsg::SummaryMoreFieldsReadByNoItem, {{"count", std::to_string(b.unknown_fields.size() - kShown)}}));
  for (const auto& [item, sum] : per_item)
    line(2, msg(InputMsg::SummaryItem, {{"number", fmt::format("{:<5}", p.items[item].number)}, {"amount", money_str(sum)}}));
  for (const auto& [year, sum] : per_year)
    line(2, msg(InputMsg::SummaryYear, {{"year", std::to_string(year)}, {"amount", money_str(sum)}}));
  for (const auto& by : b.budget_years) {
    const std::string left = money_str(std::max<int64_t>(0, by.budget - by.history));
    std::initializer_list<MsgArg> args = {{"rule", p.rules[by.rule].name}, {"total", money_str(by.total)},
                                          {"year", std::to_string(by.year)}, {"left", left},
                                          {"budget", money_str(by.budget)}};
    if (by.scaled)
      line(2, msg(p.rules[by.rule].ration == Ration::ProRata ? InputMsg::SummaryBudgetScaled : InputMsg::SummaryBudgetInTurn,
                  args));
    if (by.oversubscribed) line(2, msg(InputMsg::SummaryPoolOversubscribed, args));
  }
  return out;
}

}  // namespace pol
