// Input records -> slot values. Every value is read exactly from its text (money never goes
// through floating point); each problem becomes an error naming the field (docs/interpretation.md §6).
#include <algorithm>

#include "compiler/diagnostics/messages_input.h"
#include "compiler/diagnostics/source.h"
#include "runtime/portfolio/batch.h"
#include "runtime/portfolio/cells.h"
#include "values/date.h"
#include "values/fixed.h"

namespace pol {

std::string_view TextArena::add(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);  // never a null view (memcpy of a null pointer is UB)
  if (used_ + s.size() > cap_) {
    cap_ = std::max<size_t>(1 << 20, s.size());
    blocks_.push_back(std::make_unique<char[]>(cap_));
    used_ = 0;
  }
  char* p = blocks_.back().get() + used_;
  std::copy(s.begin(), s.end(), p);
  used_ += s.size();
  return {p, s.size()};
}

Batch::Batch(const Policy& p, const ir::Program& prog) : policy(&p), program(&prog) {
  for (const auto& t : p.texts) texts.push_back(arena.add(t));
  empty_text = static_cast<int64_t>(texts.size());
  texts.emplace_back();
  field_texts.resize(p.fields.size());
  frame.assign(std::max<int32_t>(prog.frame_size, p.slot_count) + 1, 0);
  for (const auto& pr : p.params)
    if (pr.has_value) frame[pr.slot] = pr.value;
  for (const auto& l : p.level_links)
    for (int f : l.key_fields)
      if (f >= 0 && std::find(other_key_names.begin(), other_key_names.end(), p.fields[f].name) == other_key_names.end())
        other_key_names.push_back(p.fields[f].name);
  // Slots and defaults of the common fields, then of each item's inputs, are listed once; so is
  // the position of each field among an application's values (its presence bit).
  load_plan_.resize(p.items.size() + 1);
  // value_index[item][field]: its position among an application's values, -1 if not carried.
  std::vector<std::vector<int32_t>> value_index(p.items.size(), std::vector<int32_t>(p.fields.size(), -1));
  auto add = [&](std::vector<std::pair<int32_t, int64_t>>& plan, const FieldInfo& f) {
    plan.push_back({f.slot, f.type.ty == Ty::Text ? empty_text : 0});
  };
  std::vector<int> common;
  for (size_t f = 0; f < p.fields.size(); ++f)
    if (p.fields[f].common) {
      add(load_plan_[0], p.fields[f]);
      common.push_back(static_cast<int>(f));
    }
  for (size_t i = 0; i < p.items.size(); ++i) {
    int32_t k = 0;
    for (int f : common) value_index[i][f] = k++;
    for (const auto& in : p.items[i].inputs) {
      add(load_plan_[i + 1], p.fields[in.field]);
      value_index[i][in.field] = k++;
    }
  }
  // Presence slots: per item, each optional field's slot and its value position (-1: the item
  // does not carry it, so it is never given).
  for (size_t f = 0; f < p.fields.size(); ++f)
    if (p.fields[f].present_slot >= 0 && p.fields[f].type.ty == Ty::Text)
      text_presence_.push_back({p.fields[f].present_slot, p.fields[f].slot});
  presence_plan_.resize(p.items.size());
  for (size_t i = 0; i < p.items.size(); ++i)
    for (size_t f = 0; f < p.fields.size(); ++f)
      if (p.fields[f].present_slot >= 0) presence_plan_[i].push_back({p.fields[f].present_slot, value_index[i][f]});
}

std::vector<InputError> Batch::input_errors(const Decision& d) const {
  std::vector<InputError> out;
  if (d.status != Status::Error || d.error >= errors.size()) return out;
  out.push_back(errors[d.error]);
  out.back().code = d.error_code;
  if (d.error < further_errors.size())
    out.insert(out.end(), further_errors[d.error].begin(), further_errors[d.error].end());
  return out;
}

bool Batch::given(const int64_t* frame, int field) const {
  const FieldInfo& f = policy->fields[field];
  if (f.present_slot >= 0) return frame[f.present_slot] != 0;  // optional: loaded with the application
  return f.type.ty != Ty::Text || frame[f.slot] != empty_text;    // required: decoded, so given unless ""
}

int64_t Batch::text(int field, std::string_view s) {
  if (s.empty()) return empty_text;  // one index for "" whatever the field: emptiness is a comparison
  TextMap& map = field_texts[field];
  if (const uint32_t* i = map.find(s)) return *i;
  texts.push_back(arena.add(s));
  map.insert(texts.back(), static_cast<uint32_t>(texts.size() - 1));
  return static_cast<int64_t>(texts.size() - 1);
}

int64_t* Batch::load(const Application& a) {
  const int64_t* v = values.data() + a.values;
  int64_t* f = frame.data();
  size_t k = 0;
  for (const auto& [slot, dflt] : load_plan_[0]) {
    f[slot] = (a.present >> k & 1) ? v[k] : dflt;
    ++k;
  }
  for (const auto& [slot, dflt] : load_plan_[a.item + 1]) {
    f[slot] = (a.present >> k & 1) ? v[k] : dflt;
    ++k;
  }
  if (a.item >= 0)
    for (const auto& [slot, index] : presence_plan_[a.item]) f[slot] = index >= 0 && (a.present >> index & 1);
  // An empty text is not a given value (as for rule keys and scopes, see given()).
  for (const auto& [slot, field_slot] : text_presence_)
    if (f[slot] && f[field_slot] == empty_text) f[slot] = 0;
  return f;
}

Decoder::Decoder(Batch& b, bool keep_raw) : b_(b), keep_raw_(keep_raw) {
  const Policy& p = *b.policy;
  for (size_t i = 0; i < p.fields.size(); ++i) {
    field_index_[p.fields[i].name] = static_cast<int>(i);
    if (p.fields[i].common) common_.push_back(static_cast<int>(i));
  }
  // Each item number, with the item that each version of the programme has under it (-1: none).
  const size_t nversions = std::max<size_t>(1, p.versions.size());
  for (size_t i = 0; i < p.items.size(); ++i) {
    auto [at, added] = item_index_.emplace(p.items[i].number, static_cast<int>(item_versions_.size()));
    if (added) item_versions_.emplace_back(nversions, -1);
    item_versions_[at->second][p.items[i].version] = static_cast<int>(i);
  }
  raw_.assign(p.fields.size(), nullptr);
  keyed_.assign(p.fields.size(), false);
  routes_ = field_index_.find("policy") == field_index_.end();
  for (const auto& l : p.level_links) linked_.push_back(l.policy);
  for (const auto& l : p.earlier_links)
    for (int k : l.key_fields)
      if (k >= 0) keyed_[k] = true;
  for (const auto& r : p.rules) {
    if (r.scope_field >= 0) keyed_[r.scope_field] = true;
    for (int k : r.key_fields)
      if (k >= 0) keyed_[k] = true;
  }
}

namespace {

// `name`（label）: how a message names a field ({field}) — the name as in the data, the label as in the policy.
std::string field_ref(const FieldInfo& f) {
  std::string out = "`" + f.name + "`";
  if (!f.label.empty()) out += "（" + f.label + "）";
  return out;
}

// A value as a message quotes it (the catalogue puts the backticks): at most 60 bytes, cut
// between characters, bad bytes as U+FFFD.
std::string quoted(std::string_view s) {
  std::string out;
  append_utf8_sanitized(utf8_prefix(s, 60), out);
  if (s.size() > 60) out += "…";
  return out;
}

}  // namespace

bool Decoder::decode(const input::RawRecord& rec, bool history, Application& app, std::vector<InputError>& errors) {
  const Policy& p = *b_.policy;
  errors.clear();
  app.line = static_cast<uint32_t>(rec.line);
  auto fail = [&](DiagCode c, Msg m) {
    errors.push_back(InputError{c, std::move(m)});
    return false;
  };
  if (!rec.error.empty()) {
    if (rec.problem.id != MsgId::None) return fail(DiagCode::E0609, rec.problem);
    errors.push_back(InputError{DiagCode::E0609, rec.error});
    return false;
  }
  std::fill(raw_.begin(), raw_.end(), nullptr);
  const input::RawField* award = nullptr;
  // Records of one source list their fields in the same order, so the field seen at the same
  // position last time is tried before the hash table.
  if (position_cache_.size() < rec.fields.size()) position_cache_.resize(rec.fields.size(), {{}, -1});
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    const auto& f = rec.fields[i];
    if (f.kind == input::RawKind::Null || (routes_ && f.name == "policy")) continue;
    // Cache entries: >= 0 a field of the policy; <= -2 the unknown field number -2 - n.
    int index = -1;
    if (position_cache_[i].second != -1 && position_cache_[i].first == f.name) {
      index = position_cache_[i].second;
    } else {
      auto it = field_index_.find(f.name);
      if (it != field_index_.end()) {
        index = it->second;
        position_cache_[i] = {p.fields[index].name, index};
      } else if (!history) {
        auto [it, fresh] = unknown_index_.emplace(std::string(f.name), b_.unknown_fields.size());
        if (fresh) b_.unknown_fields.emplace_back(it->first, 0);
        index = -2 - static_cast<int>(it->second);
        position_cache_[i] = {b_.arena.add(f.name), index};  // a stable copy: the vector may move
      }
    }
    if (index >= 0) raw_[index] = &f;
    else if (index <= -2) ++b_.unknown_fields[static_cast<size_t>(-2 - index)].second;
    else if (history && f.name == "award") award = &f;
  }
  if (p.field_id >= 0 && raw_[p.field_id]) app.id = b_.arena.add(cells::trim(raw_[p.field_id]->text));
  // Nothing that is not UTF-8 is decided or recorded, not even in a column no rule reads: it
  // would be kept with the decision and stop every later run of the ledger.
  for (const auto& f : rec.fields)
    if (!is_valid_utf8(f.name) || !is_valid_utf8(f.text))
      return fail(DiagCode::E0609, msg(is_valid_utf8(f.name) ? InputMsg::FieldValueNotUtf8 : InputMsg::FieldNameNotUtf8,
                                       {{"name", quoted(f.name)}}));
  // From here every problem is reported, each naming its field, and the record is refused as a whole.
  find_item(app);
  const ItemInfo* info = app.item >= 0 ? &p.items[app.item] : nullptr;
  if (app.item < 0) errors.push_back(std::move(item_error_));
  app.values = static_cast<uint32_t>(b_.values.size());
  app.present = 0;
  size_t k = 0;
  auto convert = [&](int field, bool optional, bool common) {
    const FieldInfo& f = p.fields[field];
    const input::RawField* r = raw_[field];
    const size_t slot_index = k++;
    // The spaces around a string value are not part of it (a sheet's " 是 " is 是).
    std::string_view text = r && r->kind == input::RawKind::String ? cells::trim(r->text) : r ? r->text : std::string_view();
    if (!r || (r->kind == input::RawKind::String && text.empty() && f.type.ty != Ty::Text)) {
      b_.values.push_back(f.type.ty == Ty::Text ? b_.empty_text : 0);
      // History records carry the common fields, but only those item facts that keys need.
      if (optional || (history && !common)) return;
      fail(DiagCode::E0601, info ? msg(InputMsg::MissingFieldForItem, {{"field", field_ref(f)}, {"item", info->number}})
                                 : msg(InputMsg::MissingField, {{"field", field_ref(f)}}));
      return;
    }
    if (f.type.ty == Ty::Text && text.empty() && common && !optional && !history) {
      fail(DiagCode::E0601, msg(InputMsg::EmptyField, {{"field", field_ref(f)}}));
      return;
    }
    int64_t v = 0;
    if (!read_value(field, *r, text, &v, errors)) return;
    b_.values.push_back(v);
    app.present |= uint64_t{1} << slot_index;
  };
  for (int f : common_) convert(f, p.fields[f].optional, true);
  for (size_t i = 0; info && i < info->inputs.size(); ++i) {
    const InputInfo& in = info->inputs[i];
    // Filled by the run from another policy's awards or this policy's earlier grants: never given.
    const FieldInfo& fi = p.fields[in.field];
    if ((fi.award_of >= 0 || fi.earlier >= 0) && raw_[in.field] && !history) {
      fail(DiagCode::E0611, fi.award_of >= 0 ? msg(InputMsg::GivenFromOtherPolicy,
                                                   {{"field", field_ref(fi)}, {"policy", p.level_links[fi.award_of].policy}})
                                             : msg(InputMsg::GivenFromEarlierGrants, {{"field", field_ref(fi)}}));
      continue;
    }
    convert(in.field, in.optional || fi.award_of >= 0 || fi.earlier >= 0, false);
  }
  if (p.field_id >= 0 && app.id.empty() && !history) fail(DiagCode::E0601, msg(InputMsg::EmptyId));
  if (history) {
    std::string_view text = award ? cells::trim(award->text) : std::string_view();
    if (!award || text.empty()) {
      fail(DiagCode::E0601, msg(InputMsg::MissingAward));
    } else if ((award->kind != input::RawKind::String && award->kind != input::RawKind::Number) ||
               (award->kind == input::RawKind::String ? cells::parse_money(text, &app.award)
                                                      : parse_decimal(text, 2, false, &app.award)) != DecimalError::None) {
      fail(DiagCode::E0602, msg(InputMsg::AwardNotMoney, {{"value", quoted(award->text)}}));
    }
  }
  if (!errors.empty()) return false;
  app.date = static_cast<int32_t>(b_.values[app.values + (std::find(common_.begin(), common_.end(), p.field_date) - common_.begin())]);
  return true;
}

void Decoder::find_item(Application& app) {
  const Policy& p = *b_.policy;
  app.item = -1;
  item_error_ = InputError{};
  auto fail = [&](DiagCode c, Msg m) { item_error_ = InputError{c, std::move(m)}; };
  const input::RawField* raw = p.field_item >= 0 ? raw_[p.field_item] : nullptr;
  std::string_view item = raw ? cells::trim(raw->text) : std::string_view();
  if (!raw || (raw->kind == input::RawKind::String && item.empty())) return fail(DiagCode::E0601, msg(InputMsg::MissingItem));
  auto ii = item_index_.find(item);
  if (ii == item_index_.end()) {
    std::string known;
    std::vector<std::string_view> listed;  // an item of several versions is listed once
    for (const auto& it : p.items)
      if (std::find(listed.begin(), listed.end(), it.number) == listed.end()) {
        listed.push_back(it.number);
        known += (known.empty() ? "" : ", ") + it.number;
      }
    return fail(DiagCode::E0606, msg(InputMsg::UnknownItem, {{"item", quoted(item)}, {"items", known}}));
  }
  const std::vector<int>& by_version = item_versions_[ii->second];
  if (p.versions.empty()) {
    app.item = by_version[0];
    return;
  }
  // The version in force on the acceptance date judges the application (an unreadable date
  // is reported with the other fields, whatever version reads it).
  int32_t day = INT32_MIN;
  if (p.field_date >= 0 && raw_[p.field_date]) cells::parse_date(cells::trim(raw_[p.field_date]->text), &day);
  size_t v = 0;
  for (size_t k = 1; k < p.versions.size(); ++k)
    if (p.versions[k].in_force_from <= day) v = k;
  app.item = by_version[v];
  if (app.item >= 0) return;
  const VersionInfo& now = p.versions[v];
  size_t later = v;
  while (later < by_version.size() && by_version[later] < 0) ++later;
  std::string doc = now.title.empty() ? now.name : now.title;
  if (later < by_version.size()) {
    std::string from;
    format_date(p.versions[later].in_force_from, from);
    return fail(DiagCode::E0606, msg(InputMsg::ItemNotYetCreated, {{"item", quoted(item)}, {"date", from}, {"document", doc}}));
  }
  fail(DiagCode::E0606, msg(InputMsg::ItemRepealed, {{"item", quoted(item)}, {"document", doc}}));
}

bool Decoder::read_value(int field, const input::RawField& r, std::string_view text, int64_t* out,
                         std::vector<InputError>& errors) {
  const Policy& p = *b_.policy;
  const FieldInfo& f = p.fields[field];
  auto fail = [&](DiagCode c, Msg m) {
    errors.push_back(InputError{c, std::move(m)});
    return false;
  };
  const std::string ref = field_ref(f);
  // "expected {want}, got {got}": what the field takes, and what was given (a text, a number,
  // true/false, an object or array), each a phrase of the catalogue.
  auto wrong = [&](InputMsg want) {
    MsgArg got = r.kind == input::RawKind::String ? nested("got", msg(InputMsg::GotText, {{"value", quoted(r.text)}}))
               : r.kind == input::RawKind::Number ? nested("got", msg(InputMsg::GotNumber, {{"value", std::string(r.text)}}))
               : r.kind == input::RawKind::True || r.kind == input::RawKind::False ? MsgArg{"got", std::string(r.text)}
               : nested("got", msg(InputMsg::GotObject));
    return fail(DiagCode::E0602, msg(InputMsg::WrongType, {{"field", ref}, nested("want", msg(want)), got}));
  };
  auto bad = [&](DiagCode c, InputMsg m) { return fail(c, msg(m, {{"field", ref}, {"value", quoted(text)}})); };
  const bool is_string = r.kind == input::RawKind::String;
  const bool is_scalar_text = is_string || r.kind == input::RawKind::Number;
  int64_t v = 0;
  switch (f.type.ty) {
    case Ty::Text:
      if (!is_scalar_text) return wrong(InputMsg::WantText);
      // Bytes that are not UTF-8 must not pass as a different text.
      if (first_invalid_utf8(text))
        return fail(DiagCode::E0609, msg(InputMsg::TextNotUtf8, {{"field", ref}}));
      // Texts that key a portfolio rule are shared by index; others are only stored.
      if (keyed_[field]) {
        v = b_.text(field, text);
      } else {
        v = static_cast<int64_t>(b_.texts.size());
        b_.texts.push_back(b_.arena.add(text));
      }
      break;
    case Ty::Money: case Ty::Int: case Ty::Decimal: case Ty::Rate: {
      if (!is_scalar_text) return wrong(f.type.ty == Ty::Money ? InputMsg::WantMoney : InputMsg::WantNumber);
      int scale = f.type.ty == Ty::Money ? 2 : f.type.ty == Ty::Int ? 0 : 6;
      std::string_view number = text, unit;
      if (f.type.ty == Ty::Rate && !number.empty() && number.back() == '%') {  // "30%": percent, else a fraction
        number.remove_suffix(1);
        scale = 4;
      }
      // A money cell may carry its unit (600万, 12.5万元, 1,000,000.00元); a JSON number never does.
      DecimalError e = f.type.ty == Ty::Money && is_string ? cells::parse_money(number, &v, &unit)
                                                            : parse_decimal(number, scale, false, &v);
      // The value as written (not cut short) where the message shows it bare.
      const std::string written(text);
      if (e == DecimalError::Negative)
        return fail(DiagCode::E0603, msg(InputMsg::NegativeValue, {{"field", ref}, {"value", written}}));
      if (e == DecimalError::TooPrecise && f.type.ty == Ty::Money)
        return fail(DiagCode::E0604, msg(unit.empty() ? InputMsg::MoneyTooPrecise : InputMsg::MoneyTooPreciseInYuan,
                                         {{"field", ref}, {"value", written}}));
      if (e == DecimalError::TooPrecise && f.type.ty == Ty::Int)
        return fail(DiagCode::E0602, msg(InputMsg::NotWholeNumber, {{"field", ref}, {"value", written}}));
      if (e != DecimalError::None && f.type.ty == Ty::Money && is_string) return bad(DiagCode::E0602, InputMsg::NotMoney);
      if (e != DecimalError::None) {
        Msg why = e == DecimalError::Empty        ? msg(InputMsg::NumberEmpty)
                  : e == DecimalError::TooPrecise ? msg(InputMsg::NumberTooPrecise, {{"digits", std::to_string(scale)}})
                  : e == DecimalError::Overflow   ? msg(InputMsg::NumberOverflow)
                                                  : msg(InputMsg::NumberSyntax);
        return fail(DiagCode::E0602, msg(InputMsg::NotNumber, {{"field", ref}, {"value", quoted(text)}, nested("why", why)}));
      }
      break;
    }
    case Ty::Bool: {
      bool b = false;
      if (r.kind == input::RawKind::True || r.kind == input::RawKind::False) b = r.kind == input::RawKind::True;
      else if (!is_string || !cells::parse_bool(text, &b)) return wrong(InputMsg::WantBool);
      v = b;
      break;
    }
    case Ty::Date: {
      int32_t d = 0;
      if (f.year_month) {  // 年月, held as the month's first day
        if (!is_string) return wrong(InputMsg::WantYearMonth);
        if (cells::parse_year_month(text, &d) != cells::DateCell::Ok) return bad(DiagCode::E0602, InputMsg::NotYearMonth);
        v = d;
        break;
      }
      if (!is_string) return wrong(InputMsg::WantDate);
      cells::DateCell c = cells::parse_date(text, &d);
      if (c == cells::DateCell::NoSuchDay) return bad(DiagCode::E0605, InputMsg::NoSuchDay);
      if (c != cells::DateCell::Ok) return bad(DiagCode::E0602, InputMsg::NotDate);
      v = d;
      break;
    }
    case Ty::Enum: {
      if (!is_string) return wrong(InputMsg::WantEnumMember);
      const EnumInfo& en = p.enums[f.type.enum_id];
      // A member by its name or by its label (眼镜 as well as eyewear); an unlisted value is the
      // `otherwise` member where the list has one, else an input error.
      auto m = std::find(en.members.begin(), en.members.end(), text);
      if (m == en.members.end()) m = en.members.begin() + (std::find(en.member_labels.begin(), en.member_labels.end(), text) - en.member_labels.begin());
      if (m == en.members.end() && !text.empty() && en.catch_all >= 0) m = en.members.begin() + en.catch_all;
      if (m == en.members.end()) {
        std::string list;
        for (size_t k = 0; k < en.members.size(); ++k)
          list += (k ? ", " : "") + en.members[k] + (en.member_labels[k].empty() ? "" : "（" + en.member_labels[k] + "）");
        return fail(DiagCode::E0608, msg(InputMsg::NotEnumMember, {{"field", ref}, {"value", quoted(text)}, {"values", list}}));
      }
      v = m - en.members.begin();
      break;
    }
    default:
      return wrong(InputMsg::WantValue);
  }
  *out = v;
  return true;
}

void record_to_json(const input::RawRecord& rec, std::string& out) {
  auto esc = [&](std::string_view s) {
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        static const char* kHex = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 15];
        out += kHex[c & 15];
        continue;
      }
      out += c;
    }
  };
  out += '{';
  bool first = true;
  for (const auto& f : rec.fields) {
    if (!first) out += ',';
    first = false;
    out += '"';
    esc(f.name);
    out += "\":";
    switch (f.kind) {
      case input::RawKind::String:
        out += '"';
        esc(f.text);
        out += '"';
        break;
      case input::RawKind::Null:
        out += "null";
        break;
      default:
        out.append(f.text);
    }
  }
  out += '}';
}

Decoder::Owner Decoder::owner(const input::RawRecord& rec, bool history, Msg& err) {
  if (!routes_) return Owner::Own;
  const Policy& p = *b_.policy;
  std::string_view named;
  bool given = false;
  for (const auto& f : rec.fields)
    if (f.name == "policy" && f.kind != input::RawKind::Null) {
      named = f.text;
      given = true;
    }
  const RunPolicies* run = b_.run;
  auto list = [&] {
    std::string out;
    for (const auto& n : run->names) out += (out.empty() ? "`" : "、`") + n + "`";
    return out;
  };
  if (!given || named.empty()) {
    if (!run) return Owner::Own;
    err = msg(InputMsg::MissingPolicy, {{"policies", list()}});
    return b_.first_in_run ? Owner::Unknown : Owner::Other;
  }
  if (named == p.name) return Owner::Own;
  auto in = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), named) != v.end(); };
  if (run && in(run->names)) return Owner::Other;
  if (history && (in(linked_) || (run && in(run->known)))) return Owner::Other;
  if (run && !b_.first_in_run) return Owner::Other;  // the first batch of the run reports it
  if (run) err = msg(history ? InputMsg::PolicyNotInRunNorLinked : InputMsg::PolicyNotInRun, {{"name", quoted(named)}, {"policies", list()}});
  else err = msg(history ? InputMsg::PolicyNotThisNorLinked : InputMsg::PolicyNotThis, {{"name", quoted(named)}, {"policy", p.name}});
  return Owner::Unknown;
}

void Decoder::other_grant(const input::RawRecord& rec, std::string& error, bool& ok) {
  const Policy& p = *b_.policy;
  OtherGrant g;
  const std::string* id_name = p.field_id >= 0 ? &p.fields[p.field_id].name : nullptr;
  const std::string* item_name = p.field_item >= 0 ? &p.fields[p.field_item].name : nullptr;
  g.keys.assign(b_.other_key_names.size(), std::string_view());
  const input::RawField* award = nullptr;
  for (const auto& f : rec.fields) {
    if (f.kind != input::RawKind::String && f.kind != input::RawKind::Number) continue;
    if (f.name == "policy") g.policy = b_.arena.add(f.text);
    else if (id_name && f.name == *id_name) g.id = b_.arena.add(f.text);
    else if (item_name && f.name == *item_name) g.item = b_.arena.add(f.text);
    else if (f.name == "award") award = &f;
    for (size_t k = 0; k < b_.other_key_names.size(); ++k)
      if (f.name == b_.other_key_names[k]) g.keys[k] = b_.arena.add(f.text);
  }
  ok = true;
  if (std::find(linked_.begin(), linked_.end(), g.policy) == linked_.end()) return;  // no link reads it
  if (!award || cells::parse_money(cells::trim(award->text), &g.award) != DecimalError::None) {
    error = "[E0602] " + render_msg(award ? msg(InputMsg::OtherAwardNotMoney, {{"value", quoted(award->text)}})
                                          : msg(InputMsg::OtherAwardMissing),
                                    lang_);
    ok = false;
    return;
  }
  b_.other_grants.push_back(std::move(g));
}

void Decoder::add_application(const input::RawRecord& rec) {
  Application app;
  Decision d;
  Msg err;
  size_t mark = b_.values.size();
  Owner who = rec.error.empty() ? owner(rec, false, err) : Owner::Own;
  if (who == Owner::Other) return;  // another policy of the run decides it
  app.line = static_cast<uint32_t>(rec.line);
  errors_.clear();
  bool ok = who == Owner::Own && decode(rec, false, app, errors_);
  if (who == Owner::Unknown) errors_.push_back(InputError{DiagCode::E0610, std::move(err)});
  // Repeated ids are found by the engine, which sorts the ids once (a hash table of a million
  // ids would miss the cache on every lookup).
  if (!ok) {
    b_.values.resize(mark);
    app.item = -1;
    d.status = Status::Error;
    d.error_code = errors_[0].code;
    d.error = static_cast<uint32_t>(b_.errors.size());
    b_.errors.push_back(std::move(errors_[0]));
    if (errors_.size() > 1) {
      b_.further_errors.resize(b_.errors.size());
      b_.further_errors.back().assign(std::make_move_iterator(errors_.begin() + 1), std::make_move_iterator(errors_.end()));
    }
  } else {
    d.status = Status::Pending;
  }
  if (keep_raw_) {
    raw_buf_.clear();
    record_to_json(rec, raw_buf_);
    app.raw = b_.arena.add(raw_buf_);
  }
  b_.apps.push_back(app);
  b_.decisions.push_back(d);
}

bool Decoder::add_history(const input::RawRecord& rec, std::string& error) {
  Application app;
  size_t mark = b_.values.size();
  Msg err;
  Owner who = rec.error.empty() ? owner(rec, true, err) : Owner::Own;
  if (who == Owner::Other) {
    bool ok = true;
    other_grant(rec, error, ok);
    return ok;
  }
  errors_.clear();
  bool ok = who == Owner::Own && decode(rec, true, app, errors_);
  if (who == Owner::Unknown) errors_.push_back(InputError{DiagCode::E0610, std::move(err)});
  if (ok && !app.id.empty()) {
    // A grant listed twice would count twice against every cap.
    if (const uint32_t* seen = seen_ids_.find(app.id)) {
      ok = false;
      errors_.push_back(InputError{DiagCode::E0607, msg(InputMsg::HistoryIdTwice, {{"id", std::string(app.id)},
                                                                                     {"line", std::to_string(*seen)}})});
    } else {
      seen_ids_.insert(app.id, static_cast<uint32_t>(rec.line));
    }
  }
  if (!ok) {
    b_.values.resize(mark);
    // Every problem of the record, each with its code: "[E0602] …; [E0605] …".
    error.clear();
    for (const InputError& e : errors_) error += (error.empty() ? "[" : "; [") + std::string(code_name(e.code)) + "] " + e.text(lang_);
    return false;
  }
  if (app.award == 0 && !keep_zero_awards_) {
    b_.values.resize(mark);  // a grant list's row without a grant counts for nothing
    return true;
  }
  b_.history.push_back(app);
  return true;
}

}  // namespace pol
