// Save and load a compiled policy (compiled.h). Writing is a plain walk over the policy's
// metadata and the IR; reading checks each value as it is read (kinds in range, indexes inside
// the tables they index, spans inside their source) and leaves the IR's own soundness to
// ir::verify, so a damaged file is one E0010 diagnostic and never a crash.
#include "compiler/driver/compiled.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "compiler/diagnostics/messages_driver.h"
#include "compiler/driver/sha256.h"

namespace pol {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "pol-compiled";
constexpr int kVersion = 5;

// ---- writing ----

json span(Span s) { return json::array({s.file, s.begin, s.end}); }
json type(Type t) { return json::array({static_cast<int>(t.ty), t.enum_id}); }
json duration(Duration d) { return json::array({d.years, d.months, d.days}); }
json region(ir::Region r) { return json::array({r.begin, r.end}); }
json validity(const Validity& v) {
  return {{"present", v.present}, {"from", v.from}, {"to", v.to}, {"term", duration(v.term)}, {"clause", v.clause},
          {"span", span(v.span)}};
}
template <class E>
int num(E e) {
  return static_cast<int>(e);
}

json save_policy(const Policy& p) {
  json j;
  j["name"] = p.name;
  j["title"] = p.title;
  j["issuer"] = p.issuer;
  j["span"] = span(p.span);
  j["rounding"] = num(p.rounding);
  j["rounding_quantum"] = p.rounding_quantum;
  j["preamble"] = p.preamble;
  for (const auto& e : p.enums)
    j["enums"].push_back({{"name", e.name}, {"label", e.label}, {"members", e.members},
                          {"member_labels", e.member_labels}, {"catch_all", e.catch_all}, {"span", span(e.span)}});
  for (const auto& pr : p.params)
    j["params"].push_back({{"name", pr.name}, {"label", pr.label}, {"type", type(pr.type)}, {"optional", pr.optional},
                           {"slot", pr.slot}, {"span", span(pr.span)}, {"has_value", pr.has_value},
                           {"value", pr.value}, {"origin", pr.origin}, {"value_span", span(pr.value_span)}});
  for (const auto& f : p.fields)
    j["fields"].push_back({{"name", f.name}, {"label", f.label}, {"type", type(f.type)}, {"common", f.common},
                           {"optional", f.optional}, {"slot", f.slot}, {"present_slot", f.present_slot},
                           {"award_of", f.award_of}, {"earlier", f.earlier}, {"year_month", f.year_month},
                           {"span", span(f.span)}});
  for (const auto& c : p.clauses)
    j["clauses"].push_back({{"number", c.number}, {"title", c.title}, {"part", c.part}, {"version", c.version}, {"leads", c.leads},
                            {"text", c.text}, {"span", span(c.span)}});
  auto value = [](const ValueInfo& v) {
    json t = json::array();
    for (const auto& tier : v.tiers) t.push_back({{"label", tier.label}, {"span", span(tier.span)}});
    return json{{"present", v.present}, {"span", span(v.span)}, {"tiers", t}};
  };
  for (const auto& it : p.items) {
    json ji{{"number", it.number}, {"title", it.title}, {"clause", it.clause}, {"version", it.version}, {"span", span(it.span)},
            {"groups", it.groups}, {"levels", it.levels}, {"amount", value(it.amount)}, {"cap", value(it.cap)},
            {"discretionary", it.discretionary}, {"discretion", it.discretion}, {"cap_relaxable", it.cap_relaxable},
            {"relax_reason", it.relax_reason}};
    ji["inputs"] = json::array();
    ji["lets"] = json::array();
    ji["conditions"] = json::array();
    for (const auto& in : it.inputs)
      ji["inputs"].push_back({{"field", in.field}, {"label", in.label}, {"optional", in.optional},
                              {"recorded", in.recorded}, {"span", span(in.span)}});
    for (const auto& l : it.lets) ji["lets"].push_back({{"name", l.name}, {"slot", l.slot}, {"span", span(l.span)}});
    for (const auto& c : it.conditions)
      ji["conditions"].push_back({{"name", c.name}, {"reason", c.reason}, {"span", span(c.span)}, {"clause", c.clause},
                                  {"shared", c.shared}});
    j["items"].push_back(std::move(ji));
  }
  for (const auto& r : p.rules)
    j["rules"].push_back({{"kind", num(r.kind)}, {"name", r.name}, {"label", r.label}, {"clause", r.clause},
                          {"span", span(r.span)}, {"items", r.items}, {"scope_field", r.scope_field},
                          {"period", num(r.period)}, {"places", r.places}, {"rank_field", r.rank_field},
                          {"descending", r.descending}, {"key_fields", r.key_fields},
                          {"max_supports", r.max_supports}, {"max_consecutive_years", r.max_consecutive_years},
                          {"within", duration(r.within)},
                          {"scale_mode", num(r.scale_mode)}, {"scale_quantum", r.scale_quantum}, {"ration", num(r.ration)},
                          {"budget_param", r.budget_param}, {"prefer_highest", r.prefer_highest},
                          {"level_link", r.level_link}, {"route_to", r.route_to},
                          {"threshold_param", r.threshold_param}, {"threshold", r.threshold},
                          {"version_labels", r.version_labels}});
  j["level_links"] = json::array();
  for (const auto& l : p.level_links)
    j["level_links"].push_back({{"policy", l.policy}, {"items", l.items}, {"key_fields", l.key_fields},
                                {"rule", l.rule}, {"field", l.field}, {"span", span(l.span)}});
  j["earlier_links"] = json::array();
  for (const auto& l : p.earlier_links)
    j["earlier_links"].push_back({{"kind", num(l.kind)}, {"items", l.items}, {"key_fields", l.key_fields},
                                  {"field", l.field}, {"span", span(l.span)}});
  j["level"] = p.level;
  j["short_title"] = p.short_title;
  j["texts"] = p.texts;
  j["validity"] = validity(p.validity);
  j["number"] = p.number;
  j["draft"] = p.draft;
  j["versions"] = json::array();
  for (const auto& v : p.versions)
    j["versions"].push_back({{"name", v.name}, {"title", v.title}, {"short_title", v.short_title}, {"issuer", v.issuer}, {"number", v.number},
                             {"draft", v.draft}, {"in_force_from", v.in_force_from}, {"validity", validity(v.validity)},
                             {"notes", v.notes}, {"amended_clauses", v.amended_clauses}, {"span", span(v.span)}});
  j["common_fields"] = {p.field_id, p.field_enterprise, p.field_item, p.field_date, p.field_matter};
  j["slot_count"] = p.slot_count;
  for (const char* k : {"enums", "params", "fields", "clauses", "items", "rules"})
    if (!j.contains(k)) j[k] = json::array();
  return j;
}

json save_program(const ir::Program& prog) {
  json j;
  j["items"] = json::array();
  for (const auto& ip : prog.items) {
    json ji;
    json code = json::array(), spans = json::array(), chains = json::array(), show = json::array();
    for (const auto& in : ip.code) code.push_back({num(in.op), num(in.mode), in.dst, in.a, in.b, in.imm});
    for (const auto& s : ip.spans) spans.push_back(span(s));
    for (const auto& ch : ip.chains) {
      json f = json::array();
      for (const auto& x : ch.factors) f.push_back({x.slot, num(x.type), x.divides});
      chains.push_back({{"factors", f}, {"result", num(ch.result)}, {"mode", num(ch.mode)}, {"quantum", ch.quantum}});
    }
    for (const auto& n : ip.show)
      show.push_back({num(n.op), num(n.type.ty), n.type.enum_id, num(n.cmp), n.negated, num(n.mode), n.slot, n.value,
                      n.first, n.count});
    json types = json::array();
    for (Ty t : ip.slot_types) types.push_back(num(t));
    json cregions = json::array();
    for (const auto& r : ip.condition_regions) cregions.push_back(region(r));
    auto tiers = [](const std::vector<ir::ShowTier>& ts) {
      json out = json::array();
      for (const auto& t : ts) out.push_back({t.label, t.when, t.value});
      return out;
    };
    ji["code"] = code;
    ji["spans"] = spans;
    ji["chains"] = chains;
    ji["slot_types"] = types;
    ji["prologue"] = region(ip.prologue);
    ji["condition_regions"] = cregions;
    ji["condition_slots"] = ip.condition_slots;
    ji["value_region"] = region(ip.value_region);
    ji["let_flag_slots"] = ip.let_flag_slots;
    ji["let_slots"] = ip.let_slots;
    ji["result_slots"] = {ip.amount_slot, ip.amount_tier_slot, ip.cap_slot, ip.cap_tier_slot};
    ji["group_limit_slots"] = ip.group_limit_slots;
    ji["level_limit_slots"] = ip.level_limit_slots;
    ji["relax_slot"] = ip.relax_slot;
    ji["frame_size"] = ip.frame_size;
    ji["show"] = show;
    ji["show_args"] = ip.show_args;
    ji["condition_show"] = ip.condition_show;
    ji["let_show"] = ip.let_show;
    ji["amount_show"] = ip.amount_show;
    ji["amount_tiers"] = tiers(ip.amount_tiers);
    ji["cap_tiers"] = tiers(ip.cap_tiers);
    j["items"].push_back(std::move(ji));
  }
  j["rules"] = json::array();
  for (const auto& r : prog.rules)
    j["rules"].push_back({{"kind", num(r.kind)}, {"rule", r.rule}, {"applies", r.applies}, {"per_year", r.per_year},
                          {"scope_field", r.scope_field}, {"key_fields", r.key_fields}, {"places", r.places},
                          {"rank_field", r.rank_field}, {"descending", r.descending},
                          {"max_supports", r.max_supports}, {"max_consecutive", r.max_consecutive}, {"within_years", r.within_years},
                          {"prefer_highest", r.prefer_highest}, {"scale_mode", num(r.scale_mode)}, {"ration", num(r.ration)},
                          {"scale_quantum", r.scale_quantum}, {"budget_param", r.budget_param},
                          {"budget_limit", r.budget_limit}, {"limit", num(r.limit)}, {"limit_fen", r.limit_fen},
                          {"level_link", r.level_link}, {"threshold_param", r.threshold_param},
                          {"threshold_fen", r.threshold_fen}});
  j["stages"] = json::array();
  for (const auto& s : prog.stages) j["stages"].push_back({num(s.kind), s.rules});
  j["frame_size"] = prog.frame_size;
  return j;
}

// ---- reading ----

struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Reader {
 public:
  explicit Reader(const SourceManager& sm) : sm_(sm) {}

  // An integer in [lo, hi].
  int64_t integer(const json& j, const char* key, int64_t lo, int64_t hi) {
    const json& v = at(j, key);
    if (!v.is_number_integer()) fail(std::string("`") + key + "` is not an integer");
    int64_t x = v.get<int64_t>();
    if (x < lo || x > hi) fail(std::string("`") + key + "` is out of range");
    return x;
  }
  int32_t index(const json& j, const char* key, size_t size, bool none_ok = true) {
    return static_cast<int32_t>(integer(j, key, none_ok ? -1 : 0, static_cast<int64_t>(size) - 1));
  }
  int32_t i32(const json& j, const char* key) { return static_cast<int32_t>(integer(j, key, INT32_MIN, INT32_MAX)); }
  int64_t i64(const json& j, const char* key) { return integer(j, key, INT64_MIN, INT64_MAX); }
  bool boolean(const json& j, const char* key) {
    const json& v = at(j, key);
    if (!v.is_boolean()) fail(std::string("`") + key + "` is not true or false");
    return v.get<bool>();
  }
  std::string text(const json& j, const char* key) {
    const json& v = at(j, key);
    if (!v.is_string()) fail(std::string("`") + key + "` is not a text");
    return v.get<std::string>();
  }
  std::vector<std::string> texts(const json& j, const char* key) {
    std::vector<std::string> out;
    for (const json& v : array(j, key)) {
      if (!v.is_string()) fail(std::string("`") + key + "` holds a value that is not a text");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  const json& array(const json& j, const char* key) {
    const json& v = at(j, key);
    if (!v.is_array()) fail(std::string("`") + key + "` is not a list");
    return v;
  }
  // A list of integers, each in [lo, hi].
  template <class T>
  std::vector<T> ints(const json& j, const char* key, int64_t lo, int64_t hi) {
    std::vector<T> out;
    for (const json& v : array(j, key)) {
      if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
        fail(std::string("`") + key + "` holds a value out of range");
      out.push_back(static_cast<T>(v.get<int64_t>()));
    }
    return out;
  }
  // An element of a tuple-like array.
  int64_t element(const json& a, size_t i, int64_t lo, int64_t hi, const char* what) {
    if (!a.is_array() || i >= a.size() || !a[i].is_number_integer()) fail(std::string("malformed ") + what);
    int64_t x = a[i].get<int64_t>();
    if (x < lo || x > hi) fail(std::string(what) + " is out of range");
    return x;
  }
  Span span(const json& j, const char* key) {
    const json& a = at(j, key);
    Span s{static_cast<uint32_t>(element(a, 0, 0, sm_.file_count(), "span")),
           static_cast<uint32_t>(element(a, 1, 0, UINT32_MAX, "span")),
           static_cast<uint32_t>(element(a, 2, 0, UINT32_MAX, "span"))};
    size_t size = s.file ? sm_.text(s.file).size() : 0;
    if (s.begin > s.end || s.end > size) fail("a span lies outside its source");
    return s;
  }
  Type type(const json& j, const char* key, size_t enums) {
    const json& a = at(j, key);
    Type t;
    t.ty = static_cast<Ty>(element(a, 0, 0, num(Ty::Enum), "type"));
    t.enum_id = static_cast<uint16_t>(element(a, 1, 0, UINT16_MAX, "type"));
    if (t.ty == Ty::Enum && t.enum_id >= enums) fail("a type names a list that does not exist");
    return t;
  }
  Duration duration(const json& j, const char* key) {
    const json& a = at(j, key);
    return Duration{static_cast<int32_t>(element(a, 0, -9999, 9999, "duration")),
                    static_cast<int32_t>(element(a, 1, -99999, 99999, "duration")),
                    static_cast<int32_t>(element(a, 2, -999999, 999999, "duration"))};
  }
  [[noreturn]] void fail(const std::string& what) {
    std::string where;
    for (const auto& w : where_) where += (where.empty() ? "" : ".") + w;
    throw LoadError(where.empty() ? what : where + ": " + what);
  }
  // Names the part being read, for messages: {policy, items[2], conditions[0]}.
  struct Scope {
    Reader& r;
    Scope(Reader& rd, std::string w) : r(rd) { r.where_.push_back(std::move(w)); }
    ~Scope() { r.where_.pop_back(); }
  };

 private:
  const json& at(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) fail(std::string("`") + key + "` is missing");
    return j[key];
  }
  const SourceManager& sm_;
  std::vector<std::string> where_;
};

std::unique_ptr<Policy> load_policy_data(Reader& r, const json& j) {
  auto p = std::make_unique<Policy>();
  Reader::Scope scope(r, "policy");
  p->name = r.text(j, "name");
  p->title = r.text(j, "title");
  p->issuer = r.text(j, "issuer");
  p->span = r.span(j, "span");
  p->rounding = static_cast<RoundingMode>(r.integer(j, "rounding", 0, num(RoundingMode::HalfEven)));
  p->rounding_quantum = r.integer(j, "rounding_quantum", 1, INT64_MAX);
  p->preamble = r.texts(j, "preamble");
  p->slot_count = static_cast<int32_t>(r.integer(j, "slot_count", 0, 1 << 20));
  for (const json& e : r.array(j, "enums")) {
    Reader::Scope s(r, "enums");
    EnumInfo en;
    en.name = r.text(e, "name");
    en.label = r.text(e, "label");
    en.members = r.texts(e, "members");
    en.member_labels = r.texts(e, "member_labels");
    if (en.members.size() != en.member_labels.size()) r.fail("members and labels differ in number");
    en.catch_all = r.index(e, "catch_all", en.members.size());
    en.span = r.span(e, "span");
    p->enums.push_back(std::move(en));
  }
  const size_t nenums = p->enums.size();
  const auto slots = static_cast<size_t>(p->slot_count);
  for (const json& e : r.array(j, "params")) {
    Reader::Scope s(r, "params");
    ParamInfo pr;
    pr.name = r.text(e, "name");
    pr.label = r.text(e, "label");
    pr.type = r.type(e, "type", nenums);
    pr.optional = r.boolean(e, "optional");
    pr.slot = r.index(e, "slot", slots, false);
    pr.span = r.span(e, "span");
    pr.has_value = r.boolean(e, "has_value");
    pr.value = r.i64(e, "value");
    pr.origin = r.text(e, "origin");
    pr.value_span = r.span(e, "value_span");
    p->params.push_back(std::move(pr));
  }
  for (const json& e : r.array(j, "fields")) {
    Reader::Scope s(r, "fields");
    FieldInfo f;
    f.name = r.text(e, "name");
    f.label = r.text(e, "label");
    f.type = r.type(e, "type", nenums);
    f.common = r.boolean(e, "common");
    f.optional = r.boolean(e, "optional");
    f.slot = r.index(e, "slot", slots, false);
    f.present_slot = r.index(e, "present_slot", slots);
    f.award_of = r.index(e, "award_of", r.array(j, "level_links").size());
    f.earlier = r.index(e, "earlier", r.array(j, "earlier_links").size());
    f.year_month = r.boolean(e, "year_month");
    f.span = r.span(e, "span");
    p->fields.push_back(std::move(f));
  }
  for (const json& e : r.array(j, "clauses")) {
    Reader::Scope s(r, "clauses");
    ClauseInfo c;
    c.number = r.text(e, "number");
    c.title = r.text(e, "title");
    c.part = r.text(e, "part");
    c.version = static_cast<int>(r.integer(e, "version", 0, std::max<int64_t>(0, static_cast<int64_t>(r.array(j, "versions").size()) - 1)));
    c.leads = r.texts(e, "leads");
    c.text = r.text(e, "text");
    c.span = r.span(e, "span");
    p->clauses.push_back(std::move(c));
  }
  const size_t nfields = p->fields.size(), nclauses = p->clauses.size();
  const size_t nrules = r.array(j, "rules").size();
  const int64_t nversions = static_cast<int64_t>(r.array(j, "versions").size());
  auto value = [&](const json& e, const char* key) {
    Reader::Scope s(r, key);
    const json& v = e.contains(key) ? e[key] : json();
    ValueInfo out;
    out.present = r.boolean(v, "present");
    out.span = r.span(v, "span");
    for (const json& t : r.array(v, "tiers")) {
      TierInfo tier;
      tier.label = r.text(t, "label");
      tier.span = r.span(t, "span");
      out.tiers.push_back(std::move(tier));
    }
    return out;
  };
  for (const json& e : r.array(j, "items")) {
    Reader::Scope s(r, "items[" + std::to_string(p->items.size()) + "]");
    ItemInfo it;
    it.number = r.text(e, "number");
    it.title = r.text(e, "title");
    it.clause = r.index(e, "clause", nclauses);
    it.version = static_cast<int>(r.integer(e, "version", 0, std::max<int64_t>(0, nversions - 1)));
    it.span = r.span(e, "span");
    it.groups = r.ints<int>(e, "groups", 0, static_cast<int64_t>(nrules) - 1);
    it.levels = r.ints<int>(e, "levels", 0, static_cast<int64_t>(nrules) - 1);
    it.level_limits.resize(it.levels.size());  // the limits are in the program
    it.amount = value(e, "amount");
    it.cap = value(e, "cap");
    it.discretionary = r.boolean(e, "discretionary");
    it.discretion = r.text(e, "discretion");
    it.cap_relaxable = r.boolean(e, "cap_relaxable");
    it.relax_reason = r.text(e, "relax_reason");
    for (const json& x : r.array(e, "inputs")) {
      InputInfo in;
      in.field = r.index(x, "field", nfields, false);
      in.label = r.text(x, "label");
      in.optional = r.boolean(x, "optional");
      in.recorded = r.boolean(x, "recorded");
      in.span = r.span(x, "span");
      it.inputs.push_back(std::move(in));
    }
    for (const json& x : r.array(e, "lets")) {
      LetInfo l;
      l.name = r.text(x, "name");
      l.slot = r.i32(x, "slot");  // inside the item's frame: checked with its program
      l.span = r.span(x, "span");
      it.lets.push_back(std::move(l));
    }
    for (const json& x : r.array(e, "conditions")) {
      ConditionInfo c;
      c.name = r.text(x, "name");
      c.reason = r.text(x, "reason");
      c.span = r.span(x, "span");
      c.clause = r.index(x, "clause", nclauses);
      c.shared = static_cast<int>(r.integer(x, "shared", -1, INT32_MAX));
      it.conditions.push_back(std::move(c));
    }
    p->items.push_back(std::move(it));
  }
  const size_t nitems = p->items.size();
  for (const json& e : r.array(j, "rules")) {
    Reader::Scope s(r, "rules");
    RuleInfo ru;
    ru.kind = static_cast<RuleKind>(r.integer(e, "kind", 0, num(RuleKind::Route)));
    ru.name = r.text(e, "name");
    ru.label = r.text(e, "label");
    ru.clause = r.index(e, "clause", nclauses);
    ru.span = r.span(e, "span");
    ru.items = r.ints<int>(e, "items", 0, static_cast<int64_t>(nitems) - 1);
    ru.scope_field = r.index(e, "scope_field", nfields);
    ru.period = static_cast<Period>(r.integer(e, "period", 0, num(Period::Term)));
    ru.places = r.integer(e, "places", 0, INT32_MAX);
    ru.rank_field = r.index(e, "rank_field", nfields);
    ru.descending = r.boolean(e, "descending");
    ru.key_fields = r.ints<int>(e, "key_fields", 0, static_cast<int64_t>(nfields) - 1);
    ru.max_supports = r.integer(e, "max_supports", 0, INT32_MAX);
    ru.max_consecutive_years = r.integer(e, "max_consecutive_years", 0, INT32_MAX);
    ru.within = r.duration(e, "within");
    ru.scale_mode = static_cast<RoundingMode>(r.integer(e, "scale_mode", 0, num(RoundingMode::HalfEven)));
    ru.scale_quantum = r.integer(e, "scale_quantum", 1, INT64_MAX);
    ru.ration = static_cast<Ration>(r.integer(e, "ration", 0, num(Ration::Ranked)));
    ru.budget_param = r.index(e, "budget_param", p->params.size());
    ru.prefer_highest = r.boolean(e, "prefer_highest");
    ru.level_link = r.index(e, "level_link", r.array(j, "level_links").size());
    ru.route_to = r.text(e, "route_to");
    ru.threshold_param = r.index(e, "threshold_param", p->params.size());
    ru.threshold = r.integer(e, "threshold", -1, INT64_MAX);
    ru.version_labels = r.texts(e, "version_labels");
    if (!ru.version_labels.empty() && ru.version_labels.size() != static_cast<size_t>(nversions))
      r.fail("a rule's labels do not cover every version");
    p->rules.push_back(std::move(ru));
  }
  for (const auto& it : p->items)
    for (int g : it.groups)
      if (p->rules[g].kind != RuleKind::Group) r.fail("item " + it.number + " is in a group that is not a group rule");
  for (const json& e : r.array(j, "level_links")) {
    Reader::Scope s(r, "level_links");
    LevelLink l;
    l.policy = r.text(e, "policy");
    l.items = r.texts(e, "items");
    l.key_fields = r.ints<int>(e, "key_fields", 0, static_cast<int64_t>(nfields) - 1);
    l.rule = r.index(e, "rule", p->rules.size());
    l.field = r.index(e, "field", nfields);
    l.span = r.span(e, "span");
    p->level_links.push_back(std::move(l));
  }
  for (const json& e : r.array(j, "earlier_links")) {
    Reader::Scope s(r, "earlier_links");
    EarlierLink l;
    l.kind = static_cast<EarlierLink::Kind>(r.integer(e, "kind", 0, num(EarlierLink::Kind::Sum)));
    l.items = r.texts(e, "items");
    l.key_fields = r.ints<int>(e, "key_fields", 0, static_cast<int64_t>(nfields) - 1);
    l.field = r.index(e, "field", nfields, false);
    l.span = r.span(e, "span");
    p->earlier_links.push_back(std::move(l));
  }
  p->level = r.text(j, "level");
  p->short_title = r.text(j, "short_title");
  p->texts = r.texts(j, "texts");
  auto validity = [&](const json& v) {
    Reader::Scope s(r, "validity");
    Validity out;
    out.present = r.boolean(v, "present");
    out.from = static_cast<int32_t>(r.i32(v, "from"));
    out.to = static_cast<int32_t>(r.i32(v, "to"));
    out.term = r.duration(v, "term");
    out.clause = r.index(v, "clause", nclauses);
    out.span = r.span(v, "span");
    return out;
  };
  p->validity = validity(j.contains("validity") ? j["validity"] : json());
  p->number = r.text(j, "number");
  p->draft = r.boolean(j, "draft");
  for (const json& e : r.array(j, "versions")) {
    Reader::Scope s(r, "versions");
    VersionInfo v;
    v.name = r.text(e, "name");
    v.title = r.text(e, "title");
    v.short_title = r.text(e, "short_title");
    v.issuer = r.text(e, "issuer");
    v.number = r.text(e, "number");
    v.draft = r.boolean(e, "draft");
    v.in_force_from = r.i32(e, "in_force_from");
    v.validity = validity(e.contains("validity") ? e["validity"] : json());
    v.notes = r.texts(e, "notes");
    v.amended_clauses = r.texts(e, "amended_clauses");
    v.span = r.span(e, "span");
    p->versions.push_back(std::move(v));
  }
  const json& common = r.array(j, "common_fields");
  if (common.size() != 5) r.fail("`common_fields` is not five fields");
  int* roles[] = {&p->field_id, &p->field_enterprise, &p->field_item, &p->field_date, &p->field_matter};
  for (size_t i = 0; i < 5; ++i)
    *roles[i] = static_cast<int>(r.element(common, i, -1, static_cast<int64_t>(nfields) - 1, "common field"));
  // The engine reads the role fields as what they are: an id, applicant, item or matter is a
  // text, an acceptance date a date (a number read as a text index would read past the table).
  const Ty want[] = {Ty::Text, Ty::Text, Ty::Text, Ty::Date, Ty::Text};
  for (size_t i = 0; i < 5; ++i) {
    int f = *roles[i];
    if (f < 0 && i < 4) r.fail("a field the engine needs has no role");
    if (f >= 0 && (p->fields[f].type.ty != want[i] || !p->fields[f].common))
      r.fail("field " + p->fields[f].name + " plays a role its type or place does not fit");
  }
  for (const auto& f : p->fields)
    if (f.type.ty == Ty::Enum && p->enums[f.type.enum_id].members.empty()) r.fail("field " + f.name + " has an empty list");
  return p;
}

void load_program(Reader& r, const json& j, const Policy& p, ir::Program& prog) {
  Reader::Scope scope(r, "program");
  const json& items = r.array(j, "items");
  if (items.size() != p.items.size()) r.fail("the program and the policy differ in their number of items");
  const size_t nfields = p.fields.size();
  for (const json& e : items) {
    Reader::Scope s(r, "items[" + std::to_string(prog.items.size()) + "]");
    const ItemInfo& info = p.items[prog.items.size()];
    ir::ItemProgram ip;
    ip.frame_size = static_cast<int32_t>(r.integer(e, "frame_size", p.slot_count, 1 << 20));
    const auto frame = static_cast<size_t>(ip.frame_size);
    for (const json& in : r.array(e, "code")) {
      ir::Instr x;
      x.op = static_cast<ir::Op>(r.element(in, 0, 0, ir::kOpCount - 1, "instruction"));
      x.mode = static_cast<RoundingMode>(r.element(in, 1, 0, num(RoundingMode::HalfEven), "instruction"));
      x.dst = static_cast<int32_t>(r.element(in, 2, -1, INT32_MAX, "instruction"));
      x.a = static_cast<int32_t>(r.element(in, 3, -1, INT32_MAX, "instruction"));
      x.b = static_cast<int32_t>(r.element(in, 4, -1, INT32_MAX, "instruction"));
      x.imm = r.element(in, 5, INT64_MIN, INT64_MAX, "instruction");
      ip.code.push_back(x);
    }
    for (const json& sp : r.array(e, "spans")) {
      json one{{"s", sp}};
      ip.spans.push_back(r.span(one, "s"));
    }
    if (ip.spans.size() != ip.code.size()) r.fail("instructions and their source positions differ in number");
    for (const json& ch : r.array(e, "chains")) {
      ir::Chain c;
      for (const json& f : r.array(ch, "factors")) {
        ir::ChainFactor x;
        x.slot = static_cast<int32_t>(r.element(f, 0, 0, static_cast<int64_t>(frame) - 1, "chain factor"));
        x.type = static_cast<Ty>(r.element(f, 1, 0, num(Ty::Enum), "chain factor"));
        if (f.size() < 3 || !f[2].is_boolean()) r.fail("malformed chain factor");
        x.divides = f[2].get<bool>();
        c.factors.push_back(x);
      }
      if (c.factors.empty()) r.fail("an empty product chain");
      c.result = static_cast<Ty>(r.integer(ch, "result", 0, num(Ty::Enum)));
      c.mode = static_cast<RoundingMode>(r.integer(ch, "mode", 0, num(RoundingMode::HalfEven)));
      c.quantum = r.integer(ch, "quantum", 1, INT64_MAX);
      ip.chains.push_back(std::move(c));
    }
    for (Ty t : r.ints<Ty>(e, "slot_types", 0, num(Ty::Enum))) ip.slot_types.push_back(t);
    auto region = [&](const json& a) {
      return ir::Region{static_cast<int32_t>(r.element(a, 0, 0, INT32_MAX, "region")),
                        static_cast<int32_t>(r.element(a, 1, 0, INT32_MAX, "region"))};
    };
    ip.prologue = region(r.array(e, "prologue"));
    for (const json& a : r.array(e, "condition_regions")) ip.condition_regions.push_back(region(a));
    ip.value_region = region(r.array(e, "value_region"));
    const int64_t last = static_cast<int64_t>(frame) - 1;
    ip.condition_slots = r.ints<int32_t>(e, "condition_slots", 0, last);
    ip.let_flag_slots = r.ints<int32_t>(e, "let_flag_slots", 0, last);
    ip.let_slots = r.ints<int32_t>(e, "let_slots", 0, last);
    ip.group_limit_slots = r.ints<int32_t>(e, "group_limit_slots", -1, last);
    ip.level_limit_slots = r.ints<int32_t>(e, "level_limit_slots", -1, last);
    ip.relax_slot = static_cast<int32_t>(r.integer(e, "relax_slot", -1, last));
    const json& results = r.array(e, "result_slots");
    ip.amount_slot = static_cast<int32_t>(r.element(results, 0, -1, last, "result slot"));
    ip.amount_tier_slot = static_cast<int32_t>(r.element(results, 1, -1, last, "result slot"));
    ip.cap_slot = static_cast<int32_t>(r.element(results, 2, -1, last, "result slot"));
    ip.cap_tier_slot = static_cast<int32_t>(r.element(results, 3, -1, last, "result slot"));
    for (const json& n : r.array(e, "show")) {
      ir::ShowNode x;
      x.op = static_cast<TOp>(r.element(n, 0, 0, num(TOp::StartOf), "show node"));
      x.type.ty = static_cast<Ty>(r.element(n, 1, 0, num(Ty::Enum), "show node"));
      x.type.enum_id = static_cast<uint16_t>(r.element(n, 2, 0, UINT16_MAX, "show node"));
      if (x.type.ty == Ty::Enum && x.type.enum_id >= p.enums.size()) r.fail("a show node names a list that does not exist");
      x.cmp = static_cast<CmpOp>(r.element(n, 3, 0, num(CmpOp::Ne), "show node"));
      if (n.size() < 10 || !n[4].is_boolean()) r.fail("malformed show node");
      x.negated = n[4].get<bool>();
      x.mode = static_cast<RoundingMode>(r.element(n, 5, 0, num(RoundingMode::HalfEven), "show node"));
      x.slot = static_cast<int32_t>(r.element(n, 6, -1, last, "show node"));
      x.value = r.element(n, 7, INT64_MIN, INT64_MAX, "show node");
      x.first = static_cast<int32_t>(r.element(n, 8, 0, INT32_MAX, "show node"));
      x.count = static_cast<int32_t>(r.element(n, 9, 0, INT32_MAX, "show node"));
      ip.show.push_back(x);
    }
    ip.show_args = r.ints<int32_t>(e, "show_args", 0, static_cast<int64_t>(ip.show.size()) - 1);
    const int64_t last_show = static_cast<int64_t>(ip.show.size()) - 1;
    ip.condition_show = r.ints<int32_t>(e, "condition_show", 0, last_show);
    ip.let_show = r.ints<int32_t>(e, "let_show", 0, last_show);
    ip.amount_show = static_cast<int32_t>(r.integer(e, "amount_show", -1, last_show));
    auto tiers = [&](const char* key) {
      std::vector<ir::ShowTier> out;
      for (const json& t : r.array(e, key)) {
        if (!t.is_array() || t.size() != 3 || !t[0].is_string()) r.fail(std::string("malformed ") + key);
        out.push_back({t[0].get<std::string>(), static_cast<int32_t>(r.element(t, 1, -1, last_show, key)),
                       static_cast<int32_t>(r.element(t, 2, -1, last_show, key))});
      }
      return out;
    };
    ip.amount_tiers = tiers("amount_tiers");
    ip.cap_tiers = tiers("cap_tiers");
    if (ip.let_slots.size() != info.lets.size()) r.fail("the lets of the program and the policy differ");
    for (size_t l = 0; l < info.lets.size(); ++l)
      if (info.lets[l].slot != ip.let_slots[l]) r.fail("a let's slot differs between the program and the policy");
    if (ip.amount_tiers.size() != info.amount.tiers.size() || ip.cap_tiers.size() != info.cap.tiers.size())
      r.fail("the tiers of the program and the policy differ");
    prog.items.push_back(std::move(ip));
  }
  const json& rules = r.array(j, "rules");
  if (rules.size() != p.rules.size()) r.fail("the rule plan and the policy differ in their number of rules");
  for (const json& e : rules) {
    Reader::Scope s(r, "rules");
    ir::RulePlan rp;
    rp.kind = static_cast<RuleKind>(r.integer(e, "kind", 0, num(RuleKind::Route)));
    rp.rule = static_cast<int32_t>(r.integer(e, "rule", prog.rules.size(), prog.rules.size()));
    rp.applies = r.ints<uint8_t>(e, "applies", 0, 1);
    if (rp.applies.size() != p.items.size()) r.fail("`applies` does not cover every item");
    rp.per_year = r.boolean(e, "per_year");
    rp.scope_field = r.index(e, "scope_field", nfields);
    rp.key_fields = r.ints<int32_t>(e, "key_fields", 0, static_cast<int64_t>(nfields) - 1);
    rp.places = r.integer(e, "places", 0, INT32_MAX);
    rp.rank_field = r.index(e, "rank_field", nfields);
    rp.descending = r.boolean(e, "descending");
    rp.max_supports = r.integer(e, "max_supports", 0, INT32_MAX);
    rp.max_consecutive = r.integer(e, "max_consecutive", 0, INT32_MAX);
    rp.within_years = static_cast<int32_t>(r.integer(e, "within_years", 0, 9999));
    rp.prefer_highest = r.boolean(e, "prefer_highest");
    rp.scale_mode = static_cast<RoundingMode>(r.integer(e, "scale_mode", 0, num(RoundingMode::HalfEven)));
    rp.scale_quantum = r.integer(e, "scale_quantum", 1, INT64_MAX);
    rp.ration = static_cast<Ration>(r.integer(e, "ration", 0, num(Ration::Ranked)));
    rp.budget_param = r.index(e, "budget_param", p.params.size());
    rp.budget_limit = r.integer(e, "budget_limit", -1, INT64_MAX);
    rp.limit = static_cast<ir::RulePlan::Limit>(r.integer(e, "limit", 0, num(ir::RulePlan::Limit::PerApplication)));
    rp.limit_fen = r.integer(e, "limit_fen", -1, INT64_MAX);
    rp.level_link = r.index(e, "level_link", p.level_links.size());
    rp.threshold_param = r.index(e, "threshold_param", p.params.size());
    rp.threshold_fen = r.integer(e, "threshold_fen", -1, INT64_MAX);
    if (rp.kind != p.rules[prog.rules.size()].kind) r.fail("a rule's kind differs between the plan and the policy");
    prog.rules.push_back(std::move(rp));
  }
  for (const json& st : r.array(j, "stages")) {
    ir::Stage s{static_cast<ir::StageKind>(r.element(st, 0, 0, num(ir::StageKind::Budget), "stage")), {}};
    if (!st.is_array() || st.size() != 2) r.fail("malformed stage");
    json one{{"rules", st[1]}};
    s.rules = r.ints<int32_t>(one, "rules", 0, static_cast<int64_t>(prog.rules.size()) - 1);
    prog.stages.push_back(std::move(s));
  }
  prog.frame_size = static_cast<int32_t>(r.integer(j, "frame_size", p.slot_count, 1 << 20));
  for (const auto& ip : prog.items)
    if (ip.frame_size > prog.frame_size) r.fail("an item's frame is larger than the program's");
}

std::string source_identity(const SourceManager& sm) {
  Sha256 h;
  for (uint32_t f = 1; f <= sm.file_count(); ++f) {
    std::string_view t = sm.text(f);
    h.update(std::to_string(t.size()) + ":");
    h.update(t);
  }
  return h.hex();
}

}  // namespace

bool is_compiled_policy(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  return i < text.size() && text[i] == '{' && text.find("\"pol-compiled\"") != std::string_view::npos;
}

std::string compiled_policy_name(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("policy") || !j["policy"].is_object()) return "";
  const json& name = j["policy"].contains("name") ? j["policy"]["name"] : json();
  return name.is_string() ? name.get<std::string>() : "";
}

std::string save_compiled(const LoadedPolicy& lp) {
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["identity"] = lp.identity;
  j["sources"] = json::array();
  for (uint32_t f = 1; f <= lp.sources.file_count(); ++f)
    j["sources"].push_back({{"path", lp.sources.path(f)}, {"text", std::string(lp.sources.text(f))}});
  j["sources_sha256"] = source_identity(lp.sources);
  j["policy"] = save_policy(*lp.policy);
  j["program"] = save_program(lp.program);
  return j.dump() + "\n";
}

std::unique_ptr<LoadedPolicy> load_compiled(const std::string& path, std::string_view text) {
  auto lp = std::make_unique<LoadedPolicy>();
  auto refuse = [&](Msg why) {
    lp->policy.reset();
    lp->diags.report(DiagCode::E0010, Span{}, msg(DriverMsg::NotUsableCompiled, {{"path", path}, nested("why", std::move(why))}))
        .with_help(msg(DriverMsg::CompileAgain));
    return std::move(lp);
  };
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return refuse(msg(DriverMsg::CompiledNotJson));
  try {
    if (!j.is_object() || j.value("format", "") != kFormat) return refuse(msg(DriverMsg::CompiledDoesNotSay));
    if (!j.contains("version") || j["version"] != kVersion)
      return refuse(msg(DriverMsg::CompiledByAnotherVersion,
                        {{"found", j.contains("version") ? j["version"].dump() : std::string("?")},
                         {"wanted", std::to_string(kVersion)}}));
    for (const json& s : j.at("sources")) lp->sources.add(s.at("path").get<std::string>(), s.at("text").get<std::string>());
    if (j.at("sources_sha256").get<std::string>() != source_identity(lp->sources))
      return refuse(msg(DriverMsg::CompiledChecksum));
    lp->identity = j.at("identity").get<std::string>();
    Reader r(lp->sources);
    lp->policy = load_policy_data(r, j.at("policy"));
    load_program(r, j.at("program"), *lp->policy, lp->program);
  } catch (const LoadError& e) {
    return refuse(msg(DriverMsg::CompiledProblem, {{"detail", e.what()}}));
  } catch (const nlohmann::json::exception& e) {
    return refuse(msg(DriverMsg::CompiledMalformed, {{"detail", e.what()}}));
  }
  std::vector<std::string> problems = ir::verify(lp->program, *lp->policy);
  if (!problems.empty()) return refuse(msg(DriverMsg::CompiledUnsound, {{"detail", problems.front()}}));
  return lp;
}

int compiled_format_version() { return kVersion; }

}  // namespace pol
