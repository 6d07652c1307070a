"""Access control, one module per job:

    guards       targets exist and may be acted on; the no-escalation rule
    people       admins and users as the CMS manages them
    groups       permission groups
    permissions  the catalogue kept in step with the routes, grants, revocations
    routes       the CMS route tree
    menus        the routes a group sees
    elements     page elements and their deployment to groups

Every verb takes its inputs explicitly and commits once. The verbs are re-exported here, so
`from app.services import access; access.create_group(...)` is how the views call them.
"""

from app.services.access.elements import (
    create_element,
    delete_elements,
    deploy_elements,
    elements_statement,
    get_element,
    group_elements,
    own_signs,
    update_element,
)
from app.services.access.groups import (
    create_group,
    delete_group,
    group_detail,
    group_permissions,
    list_groups,
    migrate_group,
    update_group,
)
from app.services.access.guards import (
    ESCALATION_MSG,
    ensure_no_escalation,
    get_group,
    get_user,
    guard_admin_target,
    guard_user_target,
    requested_group_id,
    valid_id,
)
from app.services.access.menus import (
    group_menu,
    menu_for,
    menu_route_ids,
    own_menu,
    set_menu,
)
from app.services.access.people import (
    admin_list_statement,
    create_admin,
    delete_user,
    reset_password,
    set_active,
    set_user_group,
    update_admin,
    user_list_statement,
)
from app.services.access.permissions import (
    grant_permissions,
    group_grants,
    live_permissions,
    permission_catalogue,
    revoke_all_permissions,
    revoke_permissions,
    sync_permissions,
)
from app.services.access.routes import (
    all_routes,
    build_tree,
    create_route,
    delete_route,
    descendant_ids,
    full_tree,
    get_route,
    node_children,
    route_parents,
    route_subtree,
    save_tree,
    tree_with_elements,
    update_route,
    walk_nodes,
)

__all__ = [
    "ESCALATION_MSG",
    "admin_list_statement",
    "all_routes",
    "build_tree",
    "create_admin",
    "create_element",
    "create_group",
    "create_route",
    "delete_elements",
    "delete_group",
    "delete_route",
    "delete_user",
    "deploy_elements",
    "descendant_ids",
    "elements_statement",
    "ensure_no_escalation",
    "full_tree",
    "get_element",
    "get_group",
    "get_route",
    "get_user",
    "grant_permissions",
    "group_detail",
    "group_elements",
    "group_grants",
    "group_menu",
    "group_permissions",
    "guard_admin_target",
    "guard_user_target",
    "list_groups",
    "live_permissions",
    "menu_for",
    "menu_route_ids",
    "migrate_group",
    "node_children",
    "own_menu",
    "own_signs",
    "permission_catalogue",
    "requested_group_id",
    "reset_password",
    "revoke_all_permissions",
    "revoke_permissions",
    "route_parents",
    "route_subtree",
    "save_tree",
    "set_active",
    "set_menu",
    "set_user_group",
    "sync_permissions",
    "tree_with_elements",
    "update_admin",
    "update_element",
    "update_group",
    "update_route",
    "user_list_statement",
    "valid_id",
    "walk_nodes",
]
