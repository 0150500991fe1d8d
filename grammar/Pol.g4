// Pol: the clause language of support policies. Parsed with ANTLR 4 (tool 4.7.2, C++ runtime 4.9).
// Only compiler/parse/build_ast.cpp sees the types generated from this file.
grammar Pol;

file : importDecl* topDecl* EOF ;

importDecl : 'import' STRING ;

topDecl
  : policyDecl
  | rulesDecl
  | parameterDecl
  | enumDecl
  | unitDecl
  | applicationDecl
  | preambleDecl
  | partDecl
  | clauseDecl
  | portfolioDecl
  | testsHeader
  | testDecl
  | revisionDecl
  | amendDecl
  | repealClauseDecl
  ;

// ---- clause-behaviour tests (polc test) ----
// The policy and, after it, the revisions that amend it (a programme over time).
testsHeader : 'tests' 'for' STRING (',' STRING)* ('rules' rules+=STRING (',' rules+=STRING)*)? ;
testDecl : 'test' STRING '{' testStmt* '}' ;
testStmt
  : 'set' name '=' expr                          # testSet
  | 'history' '{' record* '}'                    # testHistory
  | 'application' record                         # testApplication
  | 'expect' recordId expectation+               # testExpect
  ;
record : recordId '{' (fieldInit (',' fieldInit)* ','?)? '}' ;
recordId : name | STRING ;
fieldInit : name ':' expr ;
expectation
  : 'eligible'                  # expEligible
  | 'not' 'eligible'            # expIneligible
  | 'award' expr                # expAward
  | 'error' name?               # expError
  | 'failed' name               # expFailed
  | 'passed' name               # expPassed
  | 'not' 'bound' name          # expNotBound
  | 'bound' name                # expBound
  | 'rank' expr                 # expRank
  | 'tier' STRING               # expTier
  | 'discretionary'             # expDiscretionary
  | 'ceiling' expr              # expCeiling
  | 'relaxable'                 # expRelaxable
  ;

policyDecl : 'policy' name STRING? '{' policyProp* '}' ;
policyProp
  : 'title' STRING                    # titleProp
  | 'issuer' STRING                   # issuerProp
  | 'rounding' roundMode 'to' expr    # roundingProp
  | 'number' STRING                   # numberProp
  | 'status' name                     # statusProp
  | 'note' STRING                     # noteProp
  | 'effective' DATE                  # effectiveProp
  | 'level' name                      # levelProp
  | 'short' STRING                    # shortProp
  ;

// A revision: a document that amends a policy from the day it takes effect. Its file holds
// `amend clause`, `repeal clause` and new clauses (added), and the header below.
revisionDecl : 'revision' name 'of' name '{' policyProp* '}' ;
// Members replace what they name in the clause (its text, leads, validity, an item by number,
// a rule by name) or are added; `amend item` replaces statements of one item by their names.
amendDecl : 'amend' 'clause' clauseNo STRING? '{' amendMember* '}' ;
amendMember
  : clauseMember                               # replaceMember
  | 'amend' 'item' STRING '{' itemStmt* '}'    # amendItemMember
  | 'repeal' 'item' STRING                     # repealItemMember
  | 'repeal' 'rule' name                       # repealRuleMember
  ;
repealClauseDecl : 'repeal' 'clause' clauseNo ;

// A rules file: values for the parameters a policy leaves to implementation rules.
rulesDecl : 'rules' 'for' name '{' ruleSet* '}' ;
ruleSet : name '=' expr ;

parameterDecl : 'parameter' name ':' typeRef optional='optional'? STRING? ;
enumDecl : 'enum' name STRING? '{' enumMember (',' enumMember)* ','? '}' ;
// `otherwise` marks the member an unlisted value is read as (其他): the application is then
// decided (usually ineligible by a condition) instead of being an input error.
enumMember : name STRING? catchall='otherwise'? ;
unitDecl : 'unit' name '=' expr ;
applicationDecl : 'application' '{' fieldDecl* '}' ;
// `role`: which part the field plays for the batch engine (the application's id, the applicant, …);
// the role names are checked, not parsed, so a misspelt one gets a suggestion.
fieldDecl : 'field' name ':' typeRef optional='optional'? STRING? ('role' role=name)? ;
preambleDecl : 'preamble' STRING+ ;

partDecl : 'part' clauseNo STRING '{' clauseDecl* '}' ;
clauseDecl : 'clause' clauseNo STRING '{' clauseMember* '}' ;
clauseNo : name | NUMBER ;
clauseMember
  : 'lead' STRING (',' STRING)*       # leadMember
  | 'text' STRING+                    # textMember
  | itemDecl                          # itemMember
  | portfolioDecl                     # portfolioMember
  | 'valid' 'from' DATE ('for' expr | 'to' to=DATE)   # validityMember
  | clauseDecl                        # subclauseMember
  // A condition every item of the policy (or of the items or part named) must meet: written
  // once in the clause that states it (申报条件), checked and shown for each item it gates.
  | 'require' name ('for' ('items' items+=STRING (',' items+=STRING)* | 'part' part=clauseNo))? ':' expr ('else' reason=STRING)?   # clauseRequireMember
  ;

itemDecl : 'item' STRING STRING? '{' itemStmt* '}' ;
itemStmt
  : 'input' name ':' typeRef optional='optional'? recorded='recorded'? awardOf? STRING?   # inputStmt
  | 'let' name '=' expr                                     # letStmt
  | 'require' name ':' expr ('else' STRING)?                # requireStmt
  | 'amount' 'discretionary' reason=STRING?                 # discretionaryStmt
  | 'amount' valueSpec                                      # amountStmt
  | 'cap' valueSpec relaxSpec?                              # capStmt
  ;
// An input the run fills from the awards of another policy (another level) to the same key:
// `input city_award: money award of shenzhen_ai items "6" key project "市级资助金额"`.
// Or one the run computes from this policy's earlier grants to the same key (history, ledger, and
// earlier applications of the batch in processing order): how many, the first one's date, their sum.
awardOf : ('award' 'of' name | what=('count' | 'first' | 'sum') 'of' 'earlier' 'grants') 'items' STRING (',' STRING)* 'key' name (',' name)* ;
valueSpec : expr | '{' tier+ '}' ;
// 上限可适当放宽: when the cap binds (and the condition holds), the authority may grant more.
relaxSpec : 'relaxable' ('when' expr)? STRING? ;
tier
  : expr 'when' expr STRING?          # whenTier
  | expr 'otherwise'                  # otherwiseTier
  ;

// The last three relate a policy to another of a different level decided with it (or found in
// the history): `highest` (就高不重复), `combined` (叠加上限), `route` (above a threshold the
// application belongs to another policy).
portfolioDecl : kind=('group' | 'quota' | 'once' | 'series' | 'exclusive' | 'budget' | 'highest' | 'combined' | 'route')
                name STRING? '{' portfolioProp* '}' ;
portfolioProp
  : 'items' STRING (',' STRING)*                            # itemsProp
  | 'limit' expr                                            # limitProp
  | 'per' name                                              # perProp
  | 'places' expr                                           # placesProp
  | 'rank' 'by' name order=('descending' | 'ascending')?    # rankProp
  | 'key' name (',' name)*                                  # keyProp
  | 'supports' 'at' 'most' expr                             # supportsProp
  | 'within' expr                                           # withinProp
  | 'prefer' 'highest' 'award'                              # preferProp
  | 'scale' 'pro' 'rata' 'rounded' roundMode 'to' expr      # scaleProp
  | 'first' 'come' 'first' 'served'                         # firstComeProp
  | 'consecutive' 'years' 'at' 'most' expr                  # consecutiveProp
  | 'with' name 'items' STRING (',' STRING)*                # withProp
  | 'above' expr                                            # aboveProp
  | 'to' name                                               # toProp
  ;

roundMode : 'half' 'up' | 'half' 'even' | 'down' | 'up' ;

typeRef : name ;

expr
  : primary                                                           # primaryExpr
  | '-' expr                                                          # negExpr
  | expr 'or' 'else' expr                                             # orElseExpr
  | expr op=('*' | '×' | '/' | '÷' | 'of') expr                       # mulExpr
  | expr op=('+' | '-') expr                                          # addExpr
  | expr op=('<' | '<=' | '>' | '>=' | '=' | '==' | '!=' | '≠' | '≥' | '≤') expr  # cmpExpr
  | expr negated='not'? 'in' '{' expr (',' expr)* '}'                 # inExpr
  | 'not' expr                                                        # notExpr
  | expr 'and' expr                                                   # andExpr
  | expr 'or' expr                                                    # orExpr
  | expr 'rounded' roundMode 'to' expr                                # roundExpr
  ;

primary
  : NUMBER durationWord?            # numberLit
  | QUANTITY                        # quantityLit
  | PERCENT                         # percentLit
  | DATE                            # dateLit
  | STRING                          # stringLit
  | ('true' | 'false')              # boolLit
  | name '(' (expr (',' expr)*)? ')'  # callExpr
  | name                            # nameRef
  | '(' expr ')'                    # parenExpr
  ;

durationWord : 'year' | 'years' | 'month' | 'months' | 'day' | 'days' ;

// Words that are keywords in one place but ordinary names elsewhere (a field may be called `item` or `date`).
name
  : IDENT
  | 'item' | 'year' | 'years' | 'month' | 'months' | 'day' | 'days' | 'key' | 'limit' | 'rank'
  | 'text' | 'title' | 'issuer' | 'lead' | 'places' | 'scale' | 'supports' | 'within' | 'most' | 'at'
  | 'pro' | 'rata' | 'highest' | 'award' | 'prefer' | 'half' | 'up' | 'down' | 'even' | 'from'
  | 'descending' | 'ascending' | 'field' | 'unit' | 'rules' | 'by' | 'valid' | 'for' | 'to'
  | 'group' | 'quota' | 'once' | 'series' | 'exclusive' | 'budget' | 'rounding' | 'part' | 'cap'
  | 'eligible' | 'error' | 'failed' | 'passed' | 'bound' | 'tier' | 'recorded' | 'optional' | 'role'
  | 'number' | 'status' | 'note' | 'effective' | 'revision' | 'amend' | 'repeal' | 'rule'
  | 'level' | 'with' | 'above' | 'combined' | 'route' | 'policy' | 'short' | 'first' | 'come' | 'served'
  | 'count' | 'sum' | 'earlier' | 'grants' | 'consecutive'
  ;

DATE : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
PERCENT : NUM_BODY [%％] ;
QUANTITY : NUM_BODY LETTER+ ;
NUMBER : NUM_BODY ;
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* ;
IDENT : (LETTER | '_') (LETTER | DIGIT | '_')* ;

LINE_COMMENT : ('//' | '#') ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n\u3000\uFEFF]+ -> skip ;
// Any other character becomes a token the parser rejects with a positioned diagnostic.
ERROR_CHAR : . ;

fragment NUM_BODY : DIGIT+ (',' DIGIT DIGIT DIGIT)* ('.' DIGIT+)? ;
fragment DIGIT : [0-9] ;
fragment LETTER : [\p{L}] ;
