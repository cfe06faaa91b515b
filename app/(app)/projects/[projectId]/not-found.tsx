export { ProjectNotFound as default } from "@/components/projects/project-not-found";
