// Opening an .xlsx package (see xlsx.h): the zip through libzip from memory, the parts found
// through their relationships as Excel finds them (_rels/.rels → the workbook → its sheets, shared
// strings and styles), each part parsed with pugixml. Element names are matched without their
// namespace prefix, since writers differ in the prefixes they use.
#include <fmt/format.h>
#include <zip.h>

#include <cstring>
#include <memory>
#include <unordered_map>

#include "compiler/diagnostics/messages_input.h"
#include "runtime/input/xlsx.h"

namespace pol::input::xlsx {
namespace {

constexpr uint64_t kMaxPart = uint64_t{1} << 30;  // a part larger than 1 GiB is refused, not read

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Zip = std::unique_ptr<zip_t, ZipCloser>;

// The part `name` of the package ("" when the package has none); false with `error` if it
// cannot be read whole (damaged, or too large).
bool read_part(zip_t* z, const std::string& name, std::string& out, bool& found, Msg& error) {
  out.clear();
  found = false;
  zip_int64_t index = zip_name_locate(z, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return true;
  found = true;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, zip_uint64_t(index), 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && st.size > kMaxPart) {
    error = msg(InputMsg::PartTooLarge, {{"part", shown(name)}});
    return false;
  }
  zip_file_t* f = zip_fopen_index(z, zip_uint64_t(index), 0);
  if (!f) {
    error = msg(InputMsg::PartUnreadable, {{"part", shown(name)}, {"why", zip_strerror(z)}});
    return false;
  }
  char buf[1 << 16];
  for (;;) {
    zip_int64_t got = zip_fread(f, buf, sizeof buf);
    if (got < 0) {
      error = msg(InputMsg::PartDamaged, {{"part", shown(name)}, {"why", zip_file_strerror(f)}});
      zip_fclose(f);
      return false;
    }
    if (got == 0) break;
    if (out.size() + size_t(got) > kMaxPart) {
      error = msg(InputMsg::PartTooLarge, {{"part", shown(name)}});
      zip_fclose(f);
      return false;
    }
    out.append(buf, size_t(got));
  }
  zip_fclose(f);
  return true;
}

bool parse_part(const std::string& name, std::string& text, pugi::xml_document& doc, Msg& error) {
  pugi::xml_parse_result r = doc.load_buffer_inplace(text.data(), text.size());
  if (r) return true;
  error = msg(InputMsg::PartNotXml, {{"part", shown(name)}, {"why", r.description()}, {"offset", std::to_string(r.offset)}});
  return false;
}

// The value of the attribute of `n` whose name, without its prefix, is `local` ("r:id" → "id").
const char* attribute(const pugi::xml_node& n, std::string_view local, bool prefixed) {
  for (pugi::xml_attribute a : n.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if ((colon != std::string_view::npos) == prefixed && name.substr(colon == std::string_view::npos ? 0 : colon + 1) == local)
      return a.value();
  }
  return nullptr;
}

// A relationship's target as a part name: relative to the folder of the part that names it
// ("worksheets/sheet1.xml" from xl/workbook.xml → "xl/worksheets/sheet1.xml"), or from the root.
std::string resolve(const std::string& from_folder, std::string_view target) {
  std::string path = target.substr(0, 1) == "/" ? std::string(target.substr(1)) : from_folder + std::string(target);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folder_of(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

std::string rels_of(const std::string& part) {
  return folder_of(part) + "_rels/" + part.substr(folder_of(part).size()) + ".rels";
}

struct Relationship {
  std::string type_tail;  // the last segment of its type: officeDocument, worksheet, sharedStrings, styles…
  std::string target;     // a part name
};

// The relationships of `part` by id; a missing .rels part has none.
bool relationships(zip_t* z, const std::string& part, std::unordered_map<std::string, Relationship>& out,
                   Msg& error) {
  std::string name = rels_of(part), text;
  bool found = false;
  if (!read_part(z, name, text, found, error)) return false;
  if (!found) return true;
  pugi::xml_document doc;
  if (!parse_part(name, text, doc, error)) return false;
  for (pugi::xml_node r : child(doc, "Relationships").children()) {
    if (local_name(r) != "Relationship") continue;
    const char* id = attribute(r, "Id", false);
    const char* type = attribute(r, "Type", false);
    const char* target = attribute(r, "Target", false);
    const char* mode = attribute(r, "TargetMode", false);
    if (!id || !type || !target || (mode && std::strcmp(mode, "External") == 0)) continue;
    std::string_view t = type;
    out[id] = Relationship{std::string(t.substr(t.rfind('/') + 1)), resolve(folder_of(part), target)};
  }
  return true;
}

// The part a relationship of `type_tail` points at, else `fallback`.
std::string target_of(const std::unordered_map<std::string, Relationship>& rels, std::string_view type_tail,
                      const std::string& fallback) {
  for (const auto& [id, r] : rels)
    if (r.type_tail == type_tail) return r.target;
  return fallback;
}

// Which cell styles (cellXfs, by index) show numbers as dates.
bool read_styles(zip_t* z, const std::string& name, Workbook& wb, Msg& error) {
  std::string text;
  bool found = false;
  if (!read_part(z, name, text, found, error)) return false;
  if (!found) return true;  // no styles: every number is a number
  pugi::xml_document doc;
  if (!parse_part(name, text, doc, error)) return false;
  pugi::xml_node sheet = child(doc, "styleSheet");
  std::unordered_map<int, std::string> codes;  // custom formats (and redefined built-in ones)
  for (pugi::xml_node f : child(sheet, "numFmts").children())
    if (local_name(f) == "numFmt") codes[f.attribute("numFmtId").as_int(-1)] = f.attribute("formatCode").value();
  for (pugi::xml_node xf : child(sheet, "cellXfs").children()) {
    if (local_name(xf) != "xf") continue;
    int id = xf.attribute("numFmtId").as_int(0);
    auto it = codes.find(id);
    wb.cell_formats.push_back(format_shown(id, it == codes.end() ? std::string_view() : std::string_view(it->second)));
  }
  return true;
}

bool read_shared_strings(zip_t* z, const std::string& name, Workbook& wb, Msg& error) {
  std::string text;
  bool found = false;
  if (!read_part(z, name, text, found, error)) return false;
  if (!found) return true;
  pugi::xml_document doc;
  if (!parse_part(name, text, doc, error)) return false;
  for (pugi::xml_node si : child(doc, "sst").children())
    if (local_name(si) == "si") wb.shared_strings.push_back(string_item(si));
  return true;
}

}  // namespace

std::string_view local_name(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view local) {
  for (pugi::xml_node c : n.children())
    if (c.type() == pugi::node_element && local_name(c) == local) return c;
  return pugi::xml_node();
}

std::string string_item(const pugi::xml_node& si) {
  std::string out;
  for (pugi::xml_node part : si.children()) {
    std::string_view name = local_name(part);
    if (name == "t") out += part.text().get();
    else if (name == "r") out += child(part, "t").text().get();  // a run of rich text; <rPh> is skipped
  }
  return unescape(out);
}

bool open_workbook(std::string_view bytes, const std::string& name, Workbook& wb, Msg& error) {
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), "\xD0\xCF\x11\xE0", 4) == 0) {
    error = msg(InputMsg::XlsNotXlsx);
    return false;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* src = zip_source_buffer_create(bytes.empty() ? "" : bytes.data(), bytes.size(), 0, &ze);
  Zip z(src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : nullptr);
  if (!z) {
    error = msg(InputMsg::NotZip, {{"why", zip_error_strerror(&ze)}});
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    return false;
  }
  zip_error_fini(&ze);
  // The package's root relationships name the workbook part (xl/workbook.xml as Excel writes it).
  std::unordered_map<std::string, Relationship> root, rels;
  if (!relationships(z.get(), "", root, error)) return false;
  const std::string book = target_of(root, "officeDocument", "xl/workbook.xml");
  std::string text;
  bool found = false;
  if (!read_part(z.get(), book, text, found, error)) return false;
  if (!found) {
    error = msg(InputMsg::ZipNotWorkbook, {{"part", shown(book)}});
    return false;
  }
  pugi::xml_document doc;
  if (!parse_part(book, text, doc, error)) return false;
  pugi::xml_node workbook = child(doc, "workbook");
  if (!workbook) {
    error = msg(InputMsg::PartNotWorkbook, {{"part", shown(book)}});
    return false;
  }
  const char* d1904 = child(workbook, "workbookPr").attribute("date1904").value();
  wb.date1904 = std::strcmp(d1904, "1") == 0 || std::strcmp(d1904, "true") == 0;
  if (!relationships(z.get(), book, rels, error)) return false;
  std::string sheet_part, sheet_rel_type;
  for (pugi::xml_node s : child(workbook, "sheets").children()) {
    if (local_name(s) != "sheet") continue;
    std::string sheet_name = s.attribute("name").value();
    wb.sheets.push_back(sheet_name);
    if (!sheet_part.empty() || (!name.empty() && sheet_name != name)) continue;
    const char* id = attribute(s, "id", true);
    auto it = id ? rels.find(id) : rels.end();
    if (it == rels.end()) {
      error = msg(InputMsg::SheetWithoutPart, {{"sheet", shown(sheet_name)}});
      return false;
    }
    wb.sheet_name = sheet_name;
    sheet_part = it->second.target;
    sheet_rel_type = it->second.type_tail;
  }
  if (sheet_part.empty()) {
    std::string list;
    for (size_t k = 0; k < wb.sheets.size() && k < 20; ++k) list += (k ? ", `" : "`") + shown(wb.sheets[k]) + "`";
    if (wb.sheets.size() > 20) list += ", …";
    error = wb.sheets.empty() ? msg(InputMsg::NoSheet) : msg(InputMsg::NoSuchSheet, {{"sheet", shown(name)}, {"sheets", list}});
    return false;
  }
  if (sheet_rel_type != "worksheet") {
    error = msg(InputMsg::SheetNotWorksheet, {{"sheet", shown(wb.sheet_name)}, {"kind", shown(sheet_rel_type)}});
    return false;
  }
  if (!read_shared_strings(z.get(), target_of(rels, "sharedStrings", "xl/sharedStrings.xml"), wb, error)) return false;
  if (!read_styles(z.get(), target_of(rels, "styles", "xl/styles.xml"), wb, error)) return false;
  if (!read_part(z.get(), sheet_part, wb.sheet_xml, found, error)) return false;
  if (!found) {
    error = msg(InputMsg::SheetPartMissing, {{"sheet", shown(wb.sheet_name)}, {"part", shown(sheet_part)}});
    return false;
  }
  if (!parse_part(sheet_part, wb.sheet_xml, wb.sheet, error)) return false;
  if (!child(wb.sheet, "worksheet")) {
    error = msg(InputMsg::SheetPartNotWorksheet, {{"part", shown(sheet_part)}, {"sheet", shown(wb.sheet_name)}});
    return false;
  }
  return true;
}

}  // namespace pol::input::xlsx
