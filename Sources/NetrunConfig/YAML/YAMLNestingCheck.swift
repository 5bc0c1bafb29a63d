import LibYAML

/// A first pass over libyaml's events that rejects nesting past the depth limit before the
/// document API sees it.
///
/// libyaml's scanner rechecks every open flow level on every token, so `yaml_parser_load` on
/// 100,000 `[` takes about 40 s; events arrive as they are scanned, so this pass stops at level
/// 201 instead. It counts only collections, so it rejects nothing the tree builder would accept.
/// Syntax errors are left to the document pass, which reports the same ones.
enum YAMLNestingCheck {
    static func run(_ parser: UnsafeMutablePointer<yaml_parser_t>, file: String) throws {
        var depth = 0
        var event = yaml_event_t()
        while yaml_parser_parse(parser, &event) != 0 {
            let type = event.type
            let mark = event.start_mark
            yaml_event_delete(&event)
            switch type {
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                depth += 1
                if depth > YAMLTreeBuilder.maxDepth {
                    throw YAMLTreeBuilder.tooDeep(at: SourceLocation(mark: mark, file: file))
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                depth -= 1
            case YAML_STREAM_END_EVENT:
                return
            default:
                break
            }
        }
    }
}
