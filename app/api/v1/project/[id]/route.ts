import { ownedResourceRoutes } from "@/lib/api/route";
import { deleteProjectOf, getProjectOf, updateProjectOf } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

const routes = ownedResourceRoutes("project", { get: getProjectOf, update: updateProjectOf, remove: deleteProjectOf });

export const GET = routes.GET;
export const PATCH = routes.PATCH;
export const DELETE = routes.DELETE;
